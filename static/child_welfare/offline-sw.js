// Service worker of 离线入户探访 (docs/offline-visits.md), served at /sw.js (apps/child_welfare/views/offline.py).
// It keeps, in one cache, what the offline visit page needs when there is no network:
//   - the page itself and the JSON of the signed-in worker's open cases: network first (a slow line gives up after
//     a few seconds), the last good copy when the network fails;
//   - the page's styles, scripts and fonts (/static/, public): the cached copy, refreshed in the background.
// Any other page of the portal goes to the network as before; only when that fails does the worker answer with the
// offline visit page, so a 儿童主任 who opens the portal in a village without signal lands there.
// Nothing is written here but the cache: the visit queue lives in the page (localStorage). Signing out sends
// Clear-Site-Data, which deletes this cache, the queue and this worker.
"use strict";

var CACHE = "cw-offline-v1";
var SHELL = "/child-welfare/offline/";
var CASES = "/api/v1/child-welfare/cases/offline/";
var NETWORK_TIMEOUT_MS = 5000;

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function sameOrigin(url) { return url.origin === self.location.origin; }

function storable(response) {
  // A redirect (an ended session sends the page to the sign-in) or a refusal is never kept in place of the page.
  return response && response.ok && !response.redirected && response.type === "basic";
}

function put(request, response) {
  if (!storable(response)) return Promise.resolve();
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, NETWORK_TIMEOUT_MS);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function networkFirst(request, key) {
  return withTimeout(fetch(request)).then(function (response) {
    // Online but refused (the session ended: the sign-in page, a 403) is the server's answer, not the copy: the
    // copy is someone's cases, and whoever holds the phone signs in first.
    return put(key, response).then(function () { return response; });
  }, function () {
    return caches.match(key).then(function (cached) { return cached || Response.error(); });
  });
}

function staleWhileRevalidate(request) {
  return caches.match(request).then(function (cached) {
    var fresh = fetch(request).then(function (response) {
      return put(request, response).then(function () { return response; });
    });
    if (cached) { fresh.catch(function () {}); return cached; }
    return fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (url.pathname === SHELL && request.mode === "navigate") {
    event.respondWith(networkFirst(request, SHELL));
  } else if (url.pathname === CASES) {
    event.respondWith(networkFirst(request, CASES));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staleWhileRevalidate(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(SHELL).then(function (cached) { return cached || Response.error(); });
    }));
  }
});

// The page, once loaded online, names what it used (itself, its static files, the case list): keep them all.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) return;
  var urls = data.urls.filter(function (href) {
    var url = new URL(href, self.location.origin);
    return sameOrigin(url) && (url.pathname === SHELL || url.pathname === CASES || url.pathname.indexOf("/static/") === 0);
  });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (href) {
      var url = new URL(href, self.location.origin);
      var key = url.pathname === SHELL || url.pathname === CASES ? url.pathname : url.href;
      return fetch(url.href, {credentials: "same-origin", cache: "no-store"}).then(function (response) {
        return storable(response) ? cache.put(key, response) : Promise.reject(new Error(String(response.status)));
      });
    }));
  }).then(function () {
    if (event.source) event.source.postMessage({type: "precached", count: urls.length});
  }, function (error) {
    if (event.source) event.source.postMessage({type: "precache-failed", message: String(error)});
  }));
});
