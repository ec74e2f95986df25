// GitHub Pages answers every unknown path of the site with 404.html, which
// runs this. keymeter is a single page that keeps its view in the query
// string, so an old or mistyped link such as /keymeter/old/path?view=costs
// is sent on to the app with its query and fragment kept.
(() => {
  "use strict";
  const { base } = document.currentScript.dataset;
  // Should the app page itself be missing, stay here rather than loop.
  if (location.pathname !== base) {
    location.replace(base + location.search + location.hash);
  }
})();
