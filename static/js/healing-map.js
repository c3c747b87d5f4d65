/* The Healing Map: loads the compact markers document named by the page (healing-map-data.js), draws one marker shape and colour per
   activity kind in clusters, builds popups with textContent only (user text is never HTML), and
   keeps the filters in the URL (pushState; the back button restores them). */
(function () {
  "use strict";

  var KINDS = ["dialogue", "collaboration", "learning", "connections"];
  var labelsNode = document.getElementById("healing-map-labels");
  var labels = labelsNode ? JSON.parse(labelsNode.textContent) : { kinds: {}, formats: {}, text: {} };
  var text = labels.text || {};

  function node(tag, className, content) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (content !== undefined && content !== null) { element.textContent = String(content); }
    return element;
  }

  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  function plural(count, one, many) {
    return fill(count === 1 ? one : many, { n: count.toLocaleString(document.documentElement.lang || undefined) });
  }

  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return iso; }
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "medium", timeStyle: "short", timeZone: labels.timeZone
      }).format(date);
    } catch (error) {
      return date.toLocaleString();
    }
  }

  function safeKind(kind) { return KINDS.indexOf(kind) >= 0 ? kind : "other"; }

  function sameOriginPath(url) {
    // Links in popups come from our own data; refuse anything that is not a path on this site.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : "#";
  }

  function link(href, label, target) {
    var a = node("a", "hm-popup-link", label);
    a.href = sameOriginPath(href);
    if (target) { a.target = target; a.rel = "noopener"; }
    return a;
  }

  function eventPopup(p, target) {
    var box = node("div", "hm-popup");
    box.appendChild(node("h2", "hm-popup-title h6", p.title));
    box.appendChild(node("p", "hm-popup-meta", (labels.kinds[p.kind] || p.kind) + " · " + (labels.formats[p.format] || p.format)));
    box.appendChild(node("p", "hm-popup-date", formatDate(p.start)));
    box.appendChild(node("p", "hm-popup-host", fill(text.hostedBy, { name: p.host_name, area: p.community_area_name })));
    if (p.virtual) {
      box.appendChild(node("p", "hm-popup-virtual", p.location_basis === "ideal" ? text.virtualIdeal : text.virtualHost));
    }
    box.appendChild(node("p", "hm-popup-participants", plural(p.participants, text.participantsOne, text.participantsMany)));
    if (p.message) { box.appendChild(node("blockquote", "hm-popup-message", p.message)); }
    box.appendChild(link(p.url, text.openEvent, target));
    return box;
  }

  function areaPopup(p, target) {
    var box = node("div", "hm-popup");
    box.appendChild(node("h2", "hm-popup-title h6", p.community_area_name));
    box.appendChild(node("p", "", fill(p.count === 1 ? text.groupOne : text.groupMany, { n: p.count, area: p.community_area_name })));
    box.appendChild(link(p.url, text.seeList, target));
    return box;
  }

  // One icon per kind, shared by every marker of that kind: Leaflet makes a marker's element only
  // when markercluster shows it, so a 50,000-event map does not build 50,000 icons up front.
  var icons = {};
  function kindIcon(kind) {
    if (!icons[kind]) {
      icons[kind] = L.divIcon({ className: "hm-marker hm-kind-" + kind, html: '<span class="hm-shape"></span>',
                                iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12] });
    }
    return icons[kind];
  }

  function areaIcon(count) {
    var html = node("span", "hm-shape");
    html.appendChild(node("span", "", count));
    return L.divIcon({ className: "hm-marker hm-area", html: html, iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -12] });
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var html = node("span", "hm-cluster-inner");
    var visible = node("span", "", count.toLocaleString(document.documentElement.lang || undefined));
    visible.setAttribute("aria-hidden", "true");
    html.appendChild(visible);
    html.appendChild(node("span", "visually-hidden", plural(count, text.clusterOne, text.clusterMany)));
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({ className: "marker-cluster marker-cluster-" + size + " hm-cluster", html: html, iconSize: [40, 40] });
  }

  function clusterWeight(cluster) {
    // An area-level point stands for several events: count them all in the cluster's label.
    var total = 0;
    cluster.getAllChildMarkers().forEach(function (marker) { total += marker.options.weight || 1; });
    return total;
  }

  function areaMarker(a, target) {
    var latlng = L.latLng(a.latitude, a.longitude);
    var p = { count: a.count, community_area_name: a.community_area_name,
              url: (labels.urls && labels.urls.listBase || "/map/list/") + "?area=" + encodeURIComponent(a.community_area) };
    var groupLabel = fill(p.count === 1 ? text.groupOne : text.groupMany, { n: p.count, area: p.community_area_name });
    var marker = L.marker(latlng, { icon: areaIcon(p.count), title: groupLabel, alt: groupLabel, keyboard: true, weight: p.count });
    marker.bindPopup(function () { return areaPopup(p, target); });
    return marker;
  }

  function eventMarker(e, target, popupBase) {
    var kind = safeKind(e.kind);
    // The compact document has no title: the label names the kind and format, the popup the rest.
    var label = (labels.kinds[e.kind] || e.kind) + " · " + (labels.formats[e.format] || e.format);
    var marker = L.marker(L.latLng(e.latitude, e.longitude),
                          { icon: kindIcon(kind), title: label, alt: label, keyboard: true, weight: 1 });
    marker.bindPopup(function () { return node("div", "hm-popup hm-popup-loading", text.loading); });
    marker.on("add", function () {
      var element = marker.getElement();
      if (!element) { return; }
      // Keyboard users hear the title too: fetched (once) when the marker first gets focus.
      element.addEventListener("focus", function () {
        window.twhMapData.details(popupBase, e.id).then(function (p) {
          element.setAttribute("aria-label", p.title + " (" + label + ")");
          element.title = p.title + " (" + label + ")";
        }).catch(function () {});
      }, { once: true });
    });
    marker.on("popupopen", function (event) {
      window.twhMapData.details(popupBase, e.id).then(function (p) {
        event.popup.setContent(eventPopup(p, target));
        event.popup.update();
      }).catch(function () { event.popup.setContent(node("div", "hm-popup", text.failed)); });
    });
    return marker;
  }

  function withAriaLabel(marker) {
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) { element.setAttribute("aria-label", marker.options.title); }
    });
    return marker;
  }

  window.twhHealingMap = function (map) {
    var container = map.getContainer();
    var status = document.getElementById("map-status");
    var form = document.getElementById("map-filters");
    var target = container.dataset.linkTarget || "";
    var request = 0;
    var firstLoad = true;
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var inner = clusterIcon(cluster);
        var weight = clusterWeight(cluster);
        if (weight !== cluster.getChildCount()) {
          inner.options.html.firstChild.textContent = weight.toLocaleString(document.documentElement.lang || undefined);
          inner.options.html.lastChild.textContent = plural(weight, text.clusterOne, text.clusterMany);
        }
        return inner;
      }
    });
    map.addLayer(clusters);

    function setStatus(message) { if (status) { status.textContent = message; } }

    function updateStats(totals) {
      if (!totals) { return; }
      ["events", "participants", "areas"].forEach(function (name) {
        var cell = document.querySelector('[data-stat="' + name + '"]');
        if (cell) { cell.textContent = Number(totals[name] || 0).toLocaleString(document.documentElement.lang || undefined); }
      });
    }

    function updateLinks(query) {
      var suffix = query ? "?" + query : "";
      [["skip-map", "listBase"], ["download-geojson", "geojsonBase"], ["download-csv", "csvBase"], ["embed-link", "embedBase"]]
        .forEach(function (pair) {
          var a = document.getElementById(pair[0]);
          if (a && labels.urls && labels.urls[pair[1]]) { a.href = labels.urls[pair[1]] + suffix; }
        });
    }

    function draw(data) {
      var markers = [];
      var events = 0;
      var popupBase = container.dataset.popupBase;
      data.events.forEach(function (e) { markers.push(withAriaLabel(eventMarker(e, target, popupBase))); });
      events += data.events.length;
      data.areas.forEach(function (a) { markers.push(withAriaLabel(areaMarker(a, target))); events += a.count; });
      clusters.clearLayers();
      container.dataset.state = "drawing";
      var done = function () {
        container.dataset.state = "ready";
        container.dataset.drawnMs = String(Math.round(window.performance ? performance.now() : 0));
        container.dispatchEvent(new CustomEvent("healingmap:drawn", { detail: { markers: markers.length } }));
      };
      if (markers.length === 0) {
        done();
      } else {
        clusters.options.chunkProgress = function (processed, total) { if (processed >= total) { done(); } };
        clusters.addLayers(markers);
        if (!firstLoad || window.location.search) {
          map.fitBounds(clusters.getBounds(), { maxZoom: 14, padding: [20, 20] });
        }
      }
      firstLoad = false;
      container.dataset.markers = String(markers.length);
      setStatus(events === 0 ? text.none : plural(events, text.countOne, text.countMany));
      updateStats(data.totals);
    }

    function load(query, exactUrl) {
      var mine = ++request;
      var url = exactUrl || container.dataset.markersBase + (query ? "?" + query : "");
      container.dataset.state = "loading";
      container.setAttribute("aria-busy", "true");
      setStatus(text.loading);
      return window.twhMapData.load(url)
        .then(function (data) { if (mine === request) { draw(data); } })
        .catch(function () {
          if (mine === request) { container.dataset.state = "error"; setStatus(text.failed); }
        })
        .then(function () { container.removeAttribute("aria-busy"); });
    }

    function formQuery() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (value !== "" && name !== "page" && name !== "sort") { params.append(name, value); }
      });
      return params.toString();
    }

    function setForm(query) {
      var params = new URLSearchParams(query);
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.type !== "submit") { field.value = params.get(field.name) || ""; }
      });
    }

    function apply(event) {
      if (event) { event.preventDefault(); }
      var query = formQuery();
      var url = container.dataset.pageBase + (query ? "?" + query : "");
      if (url !== window.location.pathname + window.location.search) {
        window.history.pushState({ query: query }, "", url);
      }
      updateLinks(query);
      load(query);
    }

    if (form) {
      form.addEventListener("submit", apply);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.tagName === "SELECT") { apply(); }
      });
    }
    window.addEventListener("popstate", function () {
      var query = window.location.search.replace(/^\?/, "");
      if (form) { setForm(query); }
      updateLinks(query);
      load(query);
    });

    load("", container.dataset.markersUrl);
  };
})();
