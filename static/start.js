// Starts keymeter: loads the wasm-bindgen glue and the WebAssembly module
// under the hashed names trunk gave them (passed in data attributes, see
// Trunk.toml), then registers the service worker that keeps the app
// usable offline.
//
// This is a file rather than the inline script trunk writes by default so
// that the page's Content-Security-Policy can refuse every inline script.
(() => {
  "use strict";
  const { base, glue, wasm } = document.currentScript.dataset;

  import(glue)
    .then((bindings) => bindings.default({ module_or_path: wasm }))
    .catch((error) => console.error("keymeter could not start:", error));

  if (!("serviceWorker" in navigator)) {
    return;
  }
  // After the page has loaded, so that copying the app for offline use
  // never competes with starting it.
  addEventListener("load", () => {
    navigator.serviceWorker
      .register(`${base}sw.js`, { scope: base })
      .catch((error) => console.warn("keymeter works online only:", error));
  });
})();
