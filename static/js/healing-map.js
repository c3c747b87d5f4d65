/* The Healing Map: loads the compact markers document named by the page (healing-map-data.js), draws one marker shape and colour per
   activity kind in clusters, builds popups with textContent only (user text is never HTML), and
   keeps the filters in the URL (pushState; the back button restores them). Icons, the kind list
   and the DOM helpers come from map-common.js. */
(function () {
  "use strict";

  var common = window.twhMap;
  var node = common.element;
  var kindIcon = common.kindIcon;
  var areaIcon = common.areaIcon;
  var labelsNode = document.getElementById("healing-map-labels");
  var labels = labelsNode ? JSON.parse(labelsNode.textContent) : { kinds: {}, formats: {}, text: {} };
  var text = labels.text || {};

  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (match, name) {
      return values[name] === undefined ? match : String(values[name]);
    });
  }

  function plural(count, key, values) {
    // The catalog's own plural forms (healingmap/phrases.py): Polish and Arabic get every form.
    var forms = (labels.counted || {})[key] || ["", ""];
    var english = count === 1 ? forms[0] : forms[1];
    var template = window.django && window.django.ngettext ? window.django.ngettext(forms[0], forms[1], count) : english;
    var filled = { n: count.toLocaleString(document.documentElement.lang || undefined) };
    Object.keys(values || {}).forEach(function (name) { filled[name] = values[name]; });
    return fill(template || english, filled);
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

  function written(element, lang) {
    // What a person wrote carries the language they wrote it in; the browser reads its direction.
    if (typeof lang === "string" && /^[a-z]{2,3}(-[a-z]{2,8})?$/i.test(lang)) { element.lang = lang; }
    element.dir = "auto";
    return element;
  }

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
    box.appendChild(written(node("h2", "hm-popup-title h6", p.title), p.lang));
    box.appendChild(node("p", "hm-popup-meta", (labels.kinds[p.kind] || p.kind) + " · " + (labels.formats[p.format] || p.format)));
    box.appendChild(node("p", "hm-popup-date", formatDate(p.start)));
    box.appendChild(node("p", "hm-popup-host", fill(text.hostedBy, { name: p.host_name, area: p.community_area_name })));
    if (p.virtual) {
      box.appendChild(node("p", "hm-popup-virtual", p.location_basis === "ideal" ? text.virtualIdeal : text.virtualHost));
    }
    box.appendChild(node("p", "hm-popup-participants", plural(p.participants, "participants")));
    if (p.message) { box.appendChild(written(node("blockquote", "hm-popup-message", p.message), p.lang)); }
    box.appendChild(link(p.url, text.openEvent, target));
    return box;
  }

  function areaPopup(p, target) {
    var box = node("div", "hm-popup");
    box.appendChild(node("h2", "hm-popup-title h6", p.community_area_name));
    box.appendChild(node("p", "", plural(p.count, "group", { area: p.community_area_name })));
    box.appendChild(link(p.url, text.seeList, target));
    return box;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var html = node("span", "hm-cluster-inner");
    var visible = node("span", "", count.toLocaleString(document.documentElement.lang || undefined));
    visible.setAttribute("aria-hidden", "true");
    html.appendChild(visible);
    html.appendChild(node("span", "visually-hidden", plural(count, "cluster")));
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({ className: "marker-cluster marker-cluster-" + size + " hm-cluster", html: html, iconSize: [40, 40] });
  }

  var weighted = false;  // whether any marker stands for more than one event (area points)

  function clusterWeight(cluster) {
    // An area-level point stands for several events: count them all in the cluster's label.
    if (!weighted) { return cluster.getChildCount(); }
    var total = 0;
    cluster.getAllChildMarkers().forEach(function (marker) { total += marker.options.weight || 1; });
    return total;
  }

  function areaMarker(a, target) {
    var latlng = L.latLng(a.latitude, a.longitude);
    var p = { count: a.count, community_area_name: a.community_area_name,
              url: (labels.urls && labels.urls.listBase || "/map/list/") + "?area=" + encodeURIComponent(a.community_area) };
    var groupLabel = plural(p.count, "group", { area: p.community_area_name });
    var marker = L.marker(latlng, { icon: areaIcon(p.count), title: groupLabel, alt: groupLabel, keyboard: true, weight: p.count });
    marker.bindPopup(function () { return areaPopup(p, target); });
    return marker;
  }

  /* An event's marker is a plain L.marker with its id in its options: no popup, no listener of
     its own, so 50,000 of them cost little more than Leaflet's bare markers. Its popup is bound
     when it is first opened (eventPopups below), and the map's one "layeradd" listener labels
     whichever marker markercluster draws (markerLabels below). */
  var eventLabels = {};  // one label string per kind and format, not one per marker

  function eventMarker(row, column) {
    var kind = row[column.kind];
    var format = row[column.format];
    // The compact document has no title: the label names the kind and format at once, and the
    // title too once a keyboard user reaches the marker (its details are fetched then, once).
    var key = kind + "\u0000" + format;
    var label = eventLabels[key];
    if (label === undefined) {
      label = eventLabels[key] = (labels.kinds[kind] || kind) + " · " + (labels.formats[format] || format);
    }
    return L.marker(L.latLng(row[column.latitude], row[column.longitude]),
                    { icon: kindIcon(common.safeKind(kind)), title: label, alt: label, keyboard: true, weight: 1,
                      eventId: row[column.id] });
  }

  /* Binds an event marker's popup the first time it is opened: "Loading…", then its details
     (fetched once per event and page). Returns the marker. */
  function withEventPopup(marker, target, popupBase) {
    if (marker.getPopup() || marker.options.eventId === undefined) { return marker; }
    var id = marker.options.eventId;
    marker.bindPopup(function () { return node("div", "hm-popup hm-popup-loading", text.loading); });
    marker.on("popupopen", function (event) {
      var popup = event.popup;
      function show(content) {
        popup.setContent(content);
        popup.update();
        // Tells keyboardPopups that the details are in, so focus can move to them.
        var element = popup.getElement();
        if (element) { element.dispatchEvent(new CustomEvent("healingmap:popupcontent", { bubbles: true })); }
      }
      window.twhMapData.details(popupBase, id).then(function (p) {
        if (popup.isOpen()) { show(eventPopup(p, target)); }
      }).catch(function () {
        if (popup.isOpen()) { show(node("div", "hm-popup", text.failed)); }
      });
    });
    return marker;
  }

  /* A click on an event marker that has no popup yet binds it and opens it; later clicks are
     Leaflet's own (its popup toggles). */
  function eventPopups(clusters, target, popupBase) {
    clusters.on("click", function (event) {
      var marker = event.layer;
      if (!marker || marker.options.eventId === undefined || marker.getPopup()) { return; }
      withEventPopup(marker, target, popupBase).openPopup();
    });
  }

  /* Every marker element markercluster draws gets its label (Leaflet makes a new element each
     time a marker is shown again); an event's gets its title too once a keyboard user reaches
     it, fetched on its first focus. */
  function markerLabels(map, popupBase) {
    map.on("layeradd", function (event) {
      var marker = event.layer;
      var element = marker.getElement && marker.options.title && marker.getElement();
      if (!element || !element.classList.contains("leaflet-marker-icon")) { return; }
      element.setAttribute("aria-label", marker.options.title);
      if (marker.options.eventId === undefined) { return; }
      if (marker.options.named) { element.dataset.named = "true"; return; }
      element.addEventListener("focus", function () {
        window.twhMapData.details(popupBase, marker.options.eventId).then(function (p) {
          if (!marker.options.named) {
            marker.options.named = true;
            marker.options.title = p.title + " (" + marker.options.title + ")";
          }
          var shown = marker.getElement();
          if (shown) {
            shown.setAttribute("aria-label", marker.options.title);
            shown.title = marker.options.title;
            shown.dataset.named = "true";
          }
        }).catch(function () {});
      }, { once: true });
    });
  }

  /* Keyboard on markers and clusters (issue 12, item 9). Enter or Space on a marker opens its
     popup and moves focus to the popup's heading, so its link is the next Tab; Escape closes it
     and gives focus back to the marker (or to the cluster that now holds it). Enter or Space on
     a cluster zooms in (or spreads it out) and focuses one of the markers it held. Space never
     scrolls the page. Kept apart from the drawing code above: it only listens. */
  function keyboardPopups(map, clusters, preparePopup) {
    var container = map.getContainer();
    var openedByKeyboard = false;
    var openPopup = null;
    var focusPending = null;

    function layerFor(element) {
      var found = null;
      map.eachLayer(function (layer) {
        if (!found && layer.getElement && layer.getElement() === element) { found = layer; }
      });
      return found;
    }

    function focusLayer(layer) {
      var shown = clusters.getVisibleParent(layer) || layer;
      var element = shown.getElement && shown.getElement();
      if (element) { element.focus({ preventScroll: true }); }
      return !!element;
    }

    function focusInto(popup) {
      // The heading once the details are in; until then the "Loading…" box, so focus is
      // already inside the popup (never on its close button) and a screen reader says why.
      var element = popup.getElement();
      var target = element && (element.querySelector(".hm-popup-title") || element.querySelector(".hm-popup-link") ||
                               element.querySelector(".hm-popup"));
      if (!target) { return; }
      if (!target.hasAttribute("href")) { target.setAttribute("tabindex", "-1"); }
      target.focus({ preventScroll: true });
    }

    function activateCluster(cluster, event) {
      var children = cluster.getAllChildMarkers();
      function settle() {
        clusters.off("animationend spiderfied", settle);
        children.some(focusLayer);
      }
      clusters.on("animationend spiderfied", settle);
      // The same path as a click, so markercluster decides between zooming and spreading out.
      cluster.fire("click", { originalEvent: event, latlng: cluster.getLatLng() }, true);
    }

    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        if (openPopup) { event.preventDefault(); map.closePopup(); }
        return;
      }
      if (event.key !== "Enter" && event.key !== " " && event.key !== "Spacebar") { return; }
      var icon = event.target;
      if (!icon.classList || !icon.classList.contains("leaflet-marker-icon")) { return; }
      var layer = layerFor(icon);
      if (!layer) { return; }
      // No page scroll, and no keypress: Leaflet would toggle the popup a second time.
      event.preventDefault();
      if (L.MarkerCluster && layer instanceof L.MarkerCluster) {
        activateCluster(layer, event);
      } else if (layer.getPopup && preparePopup(layer).getPopup()) {
        if (layer.isPopupOpen()) {
          focusInto(layer.getPopup());
        } else {
          openedByKeyboard = true;
          layer.openPopup();
          openedByKeyboard = false;
        }
      }
    });

    // An event's popup opens with "Loading…" and gets its details a moment later (fetched on
    // open): focus follows them there if it is still in the popup (or was lost with the old content).
    container.addEventListener("healingmap:popupcontent", function (event) {
      if (!focusPending || focusPending.getElement() !== event.target) { return; }
      var popup = focusPending;
      focusPending = null;
      var active = document.activeElement;
      if (!active || active === document.body || event.target.contains(active)) { focusInto(popup); }
    });

    map.on("popupopen", function (e) {
      openPopup = e.popup;
      if (openedByKeyboard) {
        focusPending = e.popup;
        focusInto(e.popup);
      }
    });
    map.on("popupclose", function (e) {
      if (openPopup === e.popup) { openPopup = null; }
      if (focusPending === e.popup) { focusPending = null; }
      var element = e.popup.getElement();
      var active = document.activeElement;
      var focusWasInside = !active || active === document.body || (element && element.contains(active));
      if (focusWasInside && e.popup._source) { focusLayer(e.popup._source); }
    });
  }

  /* The view that shows every marker, with room for a whole cluster icon (40 px) at each edge.
     Extended point by point: no array of 50,000 points made for L.latLngBounds. */
  function fitToMarkers(map, markers) {
    var bounds = L.latLngBounds([]);
    for (var i = 0; i < markers.length; i++) { bounds.extend(markers[i].getLatLng()); }
    if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 14, padding: [28, 28], animate: false }); }
  }

  /* When the background tiles cannot load (offline, tile server down), outline the community
     areas as a plain base layer and say so in a status message (issue 12, item 14). Only when
     no tile has loaded: a few failed tiles on a working map change nothing. */
  function tileFallback(map) {
    var container = map.getContainer();
    var notice = document.getElementById("map-tiles-notice");
    var loaded = 0;
    var failed = false;

    function say(message) { if (notice) { notice.textContent = message; } }

    function fail() {
      if (failed || loaded > 0) { return; }
      failed = true;
      container.dataset.tiles = "failed";
      var url = container.dataset.outlinesUrl;
      if (!url) { say(text.tilesFailed); return; }
      common.getJson(url, "application/geo+json")
        .then(function (outlines) {
          var layer = L.geoJSON(outlines, {
            interactive: false,
            style: { color: "#5c5c5c", weight: 1, fillColor: "#fbfaf7", fillOpacity: 1 }
          });
          if (!layer.getLayers().length) { say(text.tilesFailed); return; }
          layer.addTo(map);
          layer.bringToBack();
          container.dataset.outlines = String(layer.getLayers().length);
          say(text.tilesFailedOutlines);
        })
        .catch(function () { say(text.tilesFailed); });
    }

    map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer) {
        layer.on("tileload", function () { loaded += 1; });
        layer.on("tileerror", fail);
      }
    });
  }

  /* The markers for a loaded document, and how many events they stand for. Its own function, so
     the document's rows are not kept alive by the map's closures once the markers exist. */
  function buildMarkers(data, target) {
    var rows = data.eventRows;
    var markers = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) { markers[i] = eventMarker(rows[i], data.eventColumn); }
    var events = rows.length;
    data.areas.forEach(function (a) { markers.push(areaMarker(a, target)); events += a.count; });
    weighted = data.areas.some(function (a) { return a.count > 1; });
    return { markers: markers, events: events };
  }

  // Named moments on the performance timeline (bench/map_browser.py reads them).
  function mark(name) { if (window.performance && performance.mark) { performance.mark(name); } }

  window.twhHealingMap = function (map) {
    mark("twh:map:start");
    var container = map.getContainer();
    var status = document.getElementById("map-status");
    var form = document.getElementById("map-filters");
    var target = container.dataset.linkTarget || "";
    var request = 0;
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      chunkedLoading: true,
      // Markers go in slices of at most 100 ms with 5 ms between them: no task long enough to
      // delay a key press or a scroll (200 ms by default), and little idle time added.
      chunkInterval: 100,
      chunkDelay: 5,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var inner = clusterIcon(cluster);
        var weight = clusterWeight(cluster);
        if (weight !== cluster.getChildCount()) {
          inner.options.html.firstChild.textContent = weight.toLocaleString(document.documentElement.lang || undefined);
          inner.options.html.lastChild.textContent = plural(weight, "cluster");
        }
        return inner;
      }
    });
    var popupBase = container.dataset.popupBase;
    map.addLayer(clusters);
    eventPopups(clusters, target, popupBase);
    markerLabels(map, popupBase);
    keyboardPopups(map, clusters, function (layer) { return withEventPopup(layer, target, popupBase); });
    tileFallback(map);
    var filtersPanel = document.getElementById("map-filters-panel");
    if (filtersPanel && window.matchMedia("(min-width: 768px)").matches) { filtersPanel.open = true; }

    function setStatus(message) { if (status) { status.textContent = message; } }

    function updateStats(totals) {
      if (!totals) { return; }
      ["events", "participants", "areas"].forEach(function (name) {
        var cell = document.querySelector('[data-stat="' + name + '"]');
        if (cell) { cell.textContent = Number(totals[name] || 0).toLocaleString(document.documentElement.lang || undefined); }
      });
    }

    // The participant figure for these filters, worded by the server's one function (events/stats.py).
    var figures = document.getElementById("map-figures");
    var figuresRequest = 0;
    function updateFigures(query) {
      if (!figures || !figures.dataset.figuresBase) { return; }
      var mine = ++figuresRequest;
      fetch(figures.dataset.figuresBase + (query ? "?" + query : ""), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (data) {
          if (mine === figuresRequest && typeof data.participants === "string") {
            figures.textContent = data.participants;
            figures.dataset.query = query;
          }
        })
        .catch(function () {});
    }

    function updateLinks(query) {
      var suffix = query ? "?" + query : "";
      [["skip-map", "listBase"], ["download-geojson", "geojsonBase"], ["download-csv", "csvBase"], ["embed-link", "embedBase"]]
        .forEach(function (pair) {
          var a = document.getElementById(pair[0]);
          if (a && labels.urls && labels.urls[pair[1]]) { a.href = labels.urls[pair[1]] + suffix; }
        });
    }

    var drawing = 0;  // the latest draw: an older one's markers never go in after it

    function draw(data) {
      var mine = ++drawing;
      mark("twh:map:data");
      var built = buildMarkers(data, target);
      mark("twh:map:built");
      var markers = built.markers;
      var events = built.events;
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
        // Fit the view to the data before the markers go in, at once (no animation), so the
        // first view shows every cluster whole and "ready" means what a person sees (item 13).
        fitToMarkers(map, markers);
        mark("twh:map:fitted");
        clusters.options.chunkProgress = function (processed, total) { if (processed >= total) { done(); } };
        // Markers go in from the next task: building them took one already, and markercluster's
        // first 100 ms slice added to it would make a task long enough to delay a key press.
        window.setTimeout(function () { if (mine === drawing) { clusters.addLayers(markers); } }, 0);
      }
      container.dataset.markers = String(markers.length);
      setStatus(events === 0 ? text.none : plural(events, "count"));
      updateStats(data.totals);
    }

    function load(query, exactUrl) {
      var mine = ++request;
      var url = exactUrl || container.dataset.markersBase + (query ? "?" + query : "");
      container.dataset.state = "loading";
      container.setAttribute("aria-busy", "true");
      setStatus(text.loading);
      return window.twhMapData.load(url)
        .then(function (data) {
          if (mine === request) {
            draw(data);
            if (!exactUrl) { updateFigures(query); }
          }
        })
        .catch(function () {
          if (mine === request) { container.dataset.state = "error"; setStatus(text.failed); }
        })
        .then(function () { container.removeAttribute("aria-busy"); });
    }

    function formQuery() { return common.formQuery(form, ["page", "sort"]); }

    function setForm(query) {
      var params = new URLSearchParams(query);
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.type !== "submit") { field.value = params.get(field.name) || ""; }
      });
    }

    // Arrow keys on a select (or radio group) change it once per press (item 10): the first
    // change while a control has focus adds one history entry, the next ones replace it, and
    // the data are fetched once the presses pause.
    var steppingControl = null;
    var pendingLoad = null;

    function apply(event, options) {
      if (event) { event.preventDefault(); }
      options = options || {};
      var query = formQuery();
      var url = container.dataset.pageBase + (query ? "?" + query : "");
      if (url !== window.location.pathname + window.location.search) {
        window.history[options.replace ? "replaceState" : "pushState"]({ query: query }, "", url);
      }
      updateLinks(query);
      window.clearTimeout(pendingLoad);
      if (options.debounce) {
        container.dataset.state = "loading";
        pendingLoad = window.setTimeout(function () { load(query); }, 300);
      } else {
        load(query);
      }
    }

    if (form) {
      form.addEventListener("submit", function (event) { steppingControl = null; apply(event); });
      form.addEventListener("change", function (event) {
        var control = event.target;
        if (!control || (control.tagName !== "SELECT" && control.type !== "radio")) { return; }
        var group = control.type === "radio" ? control.name : control;
        apply(null, { replace: steppingControl === group, debounce: true });
        steppingControl = group;
      });
      form.addEventListener("focusout", function (event) {
        var left = event.target && event.target.type === "radio" ? event.target.name : event.target;
        var next = event.relatedTarget;
        var stays = next && next.type === "radio" && next.name === left;
        if (left === steppingControl && !stays) { steppingControl = null; }
      });
    }
    window.addEventListener("popstate", function () {
      steppingControl = null;
      var query = window.location.search.replace(/^\?/, "");
      if (form) { setForm(query); }
      updateLinks(query);
      load(query);
    });

    load("", container.dataset.markersUrl);
  };
})();
