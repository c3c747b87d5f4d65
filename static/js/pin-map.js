/* The submission form's pin map: click to place a pin, drag to adjust; the pin's position is
   written to the hidden latitude/longitude inputs and wins over geocoding the address.
   Needs map-common.js. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");  // the pin map is shown only with JavaScript
  var round = window.twhMap.round;

  window.twhPinMap = function (map) {
    var container = map.getContainer();
    var latInput = document.getElementById(container.dataset.latInput);
    var lonInput = document.getElementById(container.dataset.lonInput);
    var status = document.getElementById("pin-status");
    var clear = document.getElementById("pin-clear");
    var marker = null;
    if (!latInput || !lonInput) { return; }

    function write(latlng) {
      latInput.value = round(latlng.lat);
      lonInput.value = round(latlng.lng);
      status.textContent = container.dataset.placedText;
      clear.hidden = false;
    }

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, title: container.dataset.markerTitle, alt: container.dataset.markerTitle });
        marker.on("dragend", function () { write(marker.getLatLng()); });
        marker.addTo(map);
      }
      write(latlng);
    }

    if (latInput.value && lonInput.value) {
      place(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)));
      map.setView(marker.getLatLng(), 14);
    }
    map.on("click", function (event) { place(event.latlng); });
    clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      latInput.value = "";
      lonInput.value = "";
      status.textContent = "";
      clear.hidden = true;
    });
  };
})();
