/* The small map on an event's public page: its public point, drawn like on the Healing Map. */
(function () {
  "use strict";
  var KINDS = ["dialogue", "collaboration", "learning", "connections", "area"];

  window.twhEventMap = function (map) {
    var container = map.getContainer();
    var lat = parseFloat(container.dataset.lat);
    var lon = parseFloat(container.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var kind = KINDS.indexOf(container.dataset.kind) >= 0 ? container.dataset.kind : "other";
    var shape = document.createElement("span");
    shape.className = "hm-shape";
    var icon = L.divIcon({
      className: "hm-marker " + (kind === "area" ? "hm-area" : "hm-kind-" + kind),
      html: shape, iconSize: [26, 26], iconAnchor: [13, 13]
    });
    L.marker([lat, lon], { icon: icon, title: container.dataset.title, keyboard: false, interactive: false }).addTo(map);
    map.setView([lat, lon], kind === "area" ? 13 : 15);
  };
})();
