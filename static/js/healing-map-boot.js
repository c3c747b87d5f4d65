/* Starts the Healing Map from its container's data-* attributes (no inline script, so the page
   needs no CSP nonce and the page cache can serve it): django-leaflet's options come from
   data-leaflet-options, then window.twhHealingMap (healing-map.js) takes over. */
(function () {
  "use strict";

  function boot() {
    var container = document.getElementById("healing-map");
    if (!container || !window.L || !L.Map.djangoMap || !container.dataset.leafletOptions) { return; }
    L.Map.djangoMap("healing-map", {
      djoptions: JSON.parse(container.dataset.leafletOptions),
      initfunc: boot,
      globals: false,
      callback: window.twhHealingMap
    });
  }

  // This script comes after every one the map needs, and the stylesheets block it, so the map
  // can start at once: waiting for the window's load event (django-leaflet's way) waited on
  // images and fonts the map does not use.
  window.twhMap.onReady(boot);
})();
