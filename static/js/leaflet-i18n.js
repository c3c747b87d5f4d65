/* Leaflet's own words in the page's language: the zoom buttons' titles (set before any map is
   made, so every map takes them) and the popup close button's label (Leaflet writes it in
   English when a popup opens). The translations come from the Django catalogs through this
   script tag's data-* attributes (included by templates/includes/_leaflet_i18n.html). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.L || !script) { return; }
  var labels = script.dataset;

  L.Control.Zoom.mergeOptions({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut });

  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      var element = event.popup.getElement();
      var button = element && element.querySelector(".leaflet-popup-close-button");
      if (button) {
        button.setAttribute("aria-label", labels.closePopup);
        button.title = labels.closePopup;
      }
    });
  });
})();
