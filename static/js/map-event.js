/* The small map on an event's public page: its public point, drawn like on the Healing Map
   (icons from map-common.js). */
(function () {
  "use strict";

  window.twhEventMap = function (map) {
    var container = map.getContainer();
    var lat = parseFloat(container.dataset.lat);
    var lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var atArea = container.dataset.kind === "area";
    var icon = atArea ? window.twhMap.areaIcon() : window.twhMap.kindIcon(container.dataset.kind);
    L.marker([lat, lon], { icon: icon, title: container.dataset.title, keyboard: false, interactive: false }).addTo(map);
    map.setView([lat, lon], atArea ? 13 : 15);
  };
})();
