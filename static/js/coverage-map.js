/* Neighbourhood coverage: colour each community area by its approved events or participants,
   as counts or, once residents are loaded, per resident. The map's data are fetched from the
   URL in the map's data-url (healingmap/geojson.py builds them); the labels come from a
   json_script block (no inline script). Areas with none get the hatch pattern defined in the
   page's SVG <defs>, so "none yet" never depends on colour alone; in the rate view an area with
   no resident figure is grey and dotted. Without this script the page is its table. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var FILLS = ["url(#coverage-hatch)", "#dadaeb", "#9e9ac8", "#756bb1", "#54278f"];

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // twhMap (map-common.js): the DOM helper and the JSON fetch every map script shares.
  function element(tag, text, attributes) {
    var created = window.twhMap.element(tag, null, text || null);
    Object.keys(attributes || {}).forEach(function (name) { created.setAttribute(name, attributes[name]); });
    return created;
  }

  /* A rate to one decimal place with the page language's decimal separator (Django's formats),
     "< 0.1" for a small one that is not zero, as in the table. */
  function rate(value, count, labels) {
    if (value === null || value === undefined) { return null; }
    if (count > 0 && value < 0.05) { return "< " + ("0.1").replace(".", labels.decimal); }
    return value.toFixed(1).replace(".", labels.decimal);
  }

  function figure(count, label, perResident, perLabel, labels, properties) {
    var text = count + " " + label;
    if ("population" in properties) {
      var shown = rate(perResident, count, labels);
      text += " · " + (shown === null ? labels.noPopulation : shown + " " + perLabel);
    }
    return element("p", text);
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
      box.appendChild(figure(properties.events, labels.events, properties.events_per_10000,
                             labels.eventsRate, labels, properties));
      box.appendChild(figure(properties.participants, labels.participants, properties.participants_per_1000,
                             labels.participantsRate, labels, properties));
      if (properties.latest) { box.appendChild(element("p", labels.latest + ": " + properties.latest)); }
    }
    return box;
  }

  function checked(name, fallback) {
    var radio = document.querySelector("#coverage-metric input[name=" + name + "]:checked");
    return radio ? radio.value : fallback;
  }

  window.twhCoverageMap = function (map) {
    var labels = read("coverage-labels");
    var container = map.getContainer();
    var metric = container.dataset.metric || "events";
    var measure = container.dataset.measure || "count";
    if (!labels || !container.dataset.url) { return; }

    function key() { return measure === "rate" ? metric + "_rate" : metric; }

    function style(feature) {
      var level = feature.properties["class"][key()];
      if (level === null || level === undefined) {
        return { color: "#666666", weight: 1, dashArray: "1 3", fillColor: "#d9d9d9", fillOpacity: 0.9 };
      }
      return level === 0
        ? { color: "#a5400f", weight: 1.5, dashArray: "4 3", fillColor: FILLS[0], fillOpacity: 0.9 }
        : { color: "#3d1c5a", weight: 1, dashArray: null, fillColor: FILLS[level], fillOpacity: 0.8 };
    }

    function showLegend() {
      container.dataset.metric = metric;
      container.dataset.measure = measure;
      document.querySelectorAll(".coverage-legend").forEach(function (legend) {
        legend.hidden = legend.dataset.metric !== key();
      });
    }

    window.twhMap.getJson(container.dataset.url, "application/geo+json")
      .then(function (data) {
        // A choice made while the data were on their way counts too.
        metric = checked("metric", metric);
        measure = checked("measure", measure);
        showLegend();
        var layer = L.geoJSON(data, {
          style: style,
          onEachFeature: function (feature, path) {
            path.bindPopup(popup(feature.properties, labels));
            path.bindTooltip(feature.properties.name, { sticky: true });
          }
        }).addTo(map);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
        document.querySelectorAll("#coverage-metric input[type=radio]").forEach(function (radio) {
          radio.addEventListener("change", function () {
            if (!radio.checked) { return; }
            metric = checked("metric", metric);
            measure = checked("measure", "count");
            showLegend();
            layer.setStyle(style);
          });
        });
        container.dataset.ready = "true";
      })
      .catch(function () {
        container.dataset.ready = "failed";
        var note = element("p", labels.failed, { "class": "alert alert-warning m-2", role: "status" });
        container.appendChild(note);
      });
  };
})();
