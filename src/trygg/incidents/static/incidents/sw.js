// Service worker for the incident report form: keeps the form and its assets so that the form
// opens without network. Pages are fetched from the network first; the cached copy is used
// only when the network fails. Nothing else is cached.
"use strict";
var CACHE = "trygg-report-form-v1";
var FORM = "/handelser/ny/";
var ASSETS = [
  FORM,
  "/static/core/trygg.css",
  "/static/core/trygg.js",
  "/static/incidents/incidents.css",
  "/static/incidents/report.js",
  "/static/incidents/offline.js",
  "/static/core/vendor/leaflet/leaflet.js",
  "/static/core/vendor/leaflet/leaflet.css"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(ASSETS.map(function (url) {
      return cache.add(new Request(url, { credentials: "same-origin" })).catch(function () {});
    }));
  }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var path = new URL(request.url).pathname;
  if (path !== FORM && ASSETS.indexOf(path) === -1) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && path === FORM) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(FORM, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(path === FORM ? FORM : request);
  }));
});
