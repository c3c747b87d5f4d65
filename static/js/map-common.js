/* Helpers shared by the site's map scripts (healing-map-data.js, healing-map.js, map-event.js,
   pin-map.js, admin-location-map.js, embed-builder.js, coverage-map.js), loaded before each of them: the kind
   list, one marker icon per kind, DOM element creation, coordinate rounding, a form's query and
   a JSON fetch. Defines window.twhMap; draws nothing itself. */
(function () {
  "use strict";

  // The activity kinds (HealingEvent.Kind); anything else is drawn as "other".
  var KINDS = ["dialogue", "collaboration", "learning", "connections"];
  var ICON_SIZE = { iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12] };

  function element(tag, className, content) {
    var created = document.createElement(tag);
    if (className) { created.className = className; }
    if (content !== undefined && content !== null) { created.textContent = String(content); }
    return created;
  }

  function safeKind(kind) { return KINDS.indexOf(kind) >= 0 ? kind : "other"; }

  // One icon per kind, shared by every marker of that kind: Leaflet makes a marker's element only
  // when it is shown, so a 50,000-event map does not build 50,000 icons up front.
  var icons = {};
  function kindIcon(kind) {
    kind = safeKind(kind);
    if (!icons[kind]) {
      icons[kind] = L.divIcon(L.extend({ className: "hm-marker hm-kind-" + kind,
                                         html: '<span class="hm-shape"></span>' }, ICON_SIZE));
    }
    return icons[kind];
  }

  // An area-level point: the shape of a marker, with the number of events it stands for.
  function areaIcon(count) {
    var shape = element("span", "hm-shape");
    if (count !== undefined && count !== null) { shape.appendChild(element("span", "", count)); }
    return L.divIcon(L.extend({ className: "hm-marker hm-area", html: shape }, ICON_SIZE));
  }

  // Six decimals (about 10 cm): what the latitude/longitude fields store.
  function round(value) { return Math.round(value * 1e6) / 1e6; }

  // The non-empty fields of a form as a query string, leaving out the names in `skip`.
  function formQuery(form, skip) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "" && (!skip || skip.indexOf(name) < 0)) { params.append(name, value); }
    });
    return params.toString();
  }

  function getJson(url, accept) {
    return fetch(url, { headers: { Accept: accept || "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
  }

  function onReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  window.twhMap = {
    KINDS: KINDS, element: element, safeKind: safeKind, kindIcon: kindIcon, areaIcon: areaIcon,
    round: round, formQuery: formQuery, getJson: getJson, onReady: onReady
  };
})();
