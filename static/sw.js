// keymeter's service worker: keeps a copy of the app shell (the page, its
// script, WebAssembly, style, manifest and icons) so that a bookmarked
// keymeter opens with no network and shows what the browser has stored.
//
// It only ever answers for the page and the shell files of its own build.
// Every other request, and above all every call to an API base (another
// origin, or a loopback mock), goes to the network untouched: usage data
// lives in IndexedDB, never in this cache.

"use strict";

// Written by scripts/post-build.sh for each build. A new deploy changes
// BUILD, so the browser sees a new worker, which copies the new shell into
// a cache of its own and deletes the old one once it takes over. Unstamped
// (a build without the hook), the worker caches nothing and the page is
// simply fetched from the network.
const BUILD = "unstamped";
const SHELL = [];

const SCOPE = new URL(self.registration.scope);
const PAGE = SCOPE.href;
// GitHub Pages serves every project of an account from one origin, which
// shares one CacheStorage: names carry the scope so that cleaning up never
// touches another project's caches.
const PREFIX = `keymeter-shell ${SCOPE.pathname} `;
const CACHE = PREFIX + BUILD;
const FILES = new Set(SHELL.map((file) => new URL(file, SCOPE).href));

self.addEventListener("install", (event) => {
  if (BUILD === "unstamped") {
    return;
  }
  // "no-cache" asks the server again rather than trusting the HTTP cache,
  // which may still hold the page of the build before.
  const requests = [PAGE, ...FILES].map(
    (url) => new Request(url, { cache: "no-cache" }),
  );
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.href.startsWith(PAGE)) {
    event.respondWith(openPage(request, url));
  } else if (FILES.has(url.origin + url.pathname)) {
    event.respondWith(shellFile(request));
  }
});

// The network first, so that a new deploy shows as soon as it is online;
// the stored page when the network cannot be reached.
async function openPage(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    const page = await caches.match(PAGE, { cacheName: CACHE });
    if (!page) {
      throw offline;
    }
    // Under any other path the page's links would not resolve: send the
    // browser to the app itself, keeping the view in the query.
    const app = url.pathname === SCOPE.pathname;
    return app ? page : Response.redirect(PAGE + url.search, 302);
  }
}

// Shell files have the build's hash in their names (or are stable), so the
// stored copy is the right one; the network serves whatever is missing.
async function shellFile(request) {
  const stored = await caches.match(request, {
    cacheName: CACHE,
    ignoreSearch: true,
  });
  return stored || fetch(request);
}
