/* Neighbourhood coverage: colour each community area by its approved events or participants.
   Data come from json_script blocks (no inline script); areas with none get the hatch pattern
   defined in the page's SVG <defs>, so "none yet" never depends on colour alone. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var FILLS = ["url(#coverage-hatch)", "#dadaeb", "#9e9ac8", "#756bb1", "#54278f"];

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function popup(properties, labels) {
    var box = element("div", null, { "class": "coverage-popup" });
    var title = element("h3");
    title.appendChild(element("a", properties.name, { href: properties.url }));
    box.appendChild(title);
    if (properties.empty) {
      box.appendChild(element("p", labels.empty));
      var host = element("p");
      host.appendChild(element("a", labels.host, { href: labels.submitUrl }));
      box.appendChild(host);
    } else {
      box.appendChild(element("p", properties.events + " " + labels.events));
      box.appendChild(element("p", properties.participants + " " + labels.participants));
      if (properties.latest) { box.appendChild(element("p", labels.latest + ": " + properties.latest)); }
    }
    return box;
  }

  window.twhCoverageMap = function (map) {
    var data = read("coverage-data");
    var labels = read("coverage-labels");
    var container = map.getContainer();
    var metric = container.dataset.metric || "events";
    if (!data || !labels) { return; }

    function style(feature) {
      var level = feature.properties["class"][metric] || 0;
      return level === 0
        ? { color: "#a5400f", weight: 1.5, dashArray: "4 3", fillColor: FILLS[0], fillOpacity: 0.9 }
        : { color: "#3d1c5a", weight: 1, dashArray: null, fillColor: FILLS[level], fillOpacity: 0.8 };
    }

    var layer = L.geoJSON(data, {
      style: style,
      onEachFeature: function (feature, path) {
        path.bindPopup(popup(feature.properties, labels));
        path.bindTooltip(feature.properties.name, { sticky: true });
      }
    }).addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }

    document.querySelectorAll("#coverage-metric input[name=metric]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) { return; }
        metric = radio.value;
        container.dataset.metric = metric;
        layer.setStyle(style);
        document.querySelectorAll(".coverage-legend").forEach(function (legend) {
          legend.hidden = legend.dataset.metric !== metric;
        });
      });
    });
    container.dataset.ready = "true";
  };
})();
