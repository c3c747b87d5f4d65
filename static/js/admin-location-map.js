/* Admin: show an event's point on a small Leaflet map; dragging the pin fills the latitude and
   longitude fields, which staff then save. Plain Leaflet, no GeoDjango widgets; needs
   map-common.js. */
(function () {
  "use strict";
  var round = window.twhMap.round;

  function init() {
    var el = document.getElementById("admin-location-map");
    var latInput = document.getElementById("id_latitude");
    var lonInput = document.getElementById("id_longitude");
    if (!el || !latInput || !lonInput || typeof L === "undefined") { return; }
    var hasPoint = latInput.value !== "" && lonInput.value !== "";
    var center = hasPoint
      ? [parseFloat(latInput.value), parseFloat(lonInput.value)]
      : [parseFloat(el.dataset.centerLat), parseFloat(el.dataset.centerLon)];
    var map = L.map(el).setView(center, hasPoint ? 15 : 11);
    L.tileLayer(el.dataset.tilesUrl, { attribution: el.dataset.attribution, maxZoom: 18 }).addTo(map);
    var marker = L.marker(center, { draggable: true, title: el.dataset.markerTitle, alt: el.dataset.markerTitle }).addTo(map);

    function write(latlng) {
      latInput.value = round(latlng.lat);
      lonInput.value = round(latlng.lng);
    }
    marker.on("dragend", function () { write(marker.getLatLng()); });
    map.on("click", function (event) { marker.setLatLng(event.latlng); write(event.latlng); });
    function follow() {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (!isNaN(lat) && !isNaN(lon)) { marker.setLatLng([lat, lon]); map.panTo([lat, lon]); }
    }
    latInput.addEventListener("change", follow);
    lonInput.addEventListener("change", follow);
  }

  window.twhMap.onReady(init);
})();
