{% autoescape off %}/* wushe's service worker: visits without a signal (wushe/visits/offline_views.py).
   It keeps the offline visit page, the static files it loads and the worker's data
   (households and needs, masked) so the page opens with no network; every other page, and every
   POST, goes to the network as before. The logout deletes these caches (app.js, Clear-Site-Data). */
"use strict";
const CACHE = {{ cache_json }};
const PREFIX = {{ prefix_json }};
const URLS = {{ urls_json }};
const STATIC = {{ static_json }};
const KEPT = new Set(URLS);
const WAIT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(URLS.map((url) => cache.add(new Request(url, { credentials: "same-origin" })).catch(() => null)))
    ).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), WAIT_MS);
    promise.then((r) => { clearTimeout(timer); resolve(r); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

/* the network first (fresh data when there is a signal), the kept copy when there is none */
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request));
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (err) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (KEPT.has(path) || (path.startsWith(STATIC) && url.search === "")) {
    event.respondWith(networkFirst(request, path));
  }
});
{% endautoescape %}
