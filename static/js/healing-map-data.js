/* The Healing Map's data, kept apart from the map's behaviour (healing-map.js): loads the compact
   markers document (healingmap/geojson.py `markers()`: per event only id, point, kind, format and
   the virtual flag; per small-count area its point, count and name) and fetches one event's
   details when its popup opens (once per event and page). Needs map-common.js. */
(function () {
  "use strict";
  var getJson = window.twhMap.getJson;

  function objects(rows, fields) {
    var list = new Array(rows.length);
    for (var r = 0; r < rows.length; r++) {
      var item = {};
      for (var f = 0; f < fields.length; f++) { item[fields[f]] = rows[r][f]; }
      list[r] = item;
    }
    return list;
  }

  var details = {};

  // The first document is asked for now, before the map starts: the head's preload of the same
  // URL (healingmap/_map_css.html) answers it, so the download began while the page parsed.
  var container = document.getElementById("healing-map");
  var early = container && container.dataset.markersUrl ?
    { url: container.dataset.markersUrl, promise: getJson(container.dataset.markersUrl) } : null;
  if (early) { early.promise.catch(function () {}); }  // load() reports a failure, not this

  window.twhMapData = {
    /* Resolves to {eventRows: [[id, longitude, latitude, kind, format, virtual, ...]], eventColumn:
       {id: 0, longitude: 1, ...}, areas: [{longitude,
       latitude, count, community_area, community_area_name}], totals}. */
    load: function (url) {
      var pending = early && early.url === url ? early.promise : getJson(url);
      early = null;  // used once: later loads (filters, back button) ask again
      return pending.then(function (doc) {
        // Events stay rows (50,000 objects made here would only be garbage a moment later):
        // eventColumn says which column holds which field.
        var eventColumn = {};
        (doc.fields || []).forEach(function (field, index) { eventColumn[field] = index; });
        return {
          eventRows: doc.events || [],
          eventColumn: eventColumn,
          areas: objects(doc.areas || [], doc.areaFields || []),
          totals: doc.totals
        };
      });
    },
    /* Resolves to the event's public properties (the same allow-list as the GeoJSON). */
    details: function (base, id) {
      var key = String(id);
      if (!details[key]) {
        details[key] = getJson(base + encodeURIComponent(key) + "/popup.json").catch(function (error) {
          delete details[key];
          throw error;
        });
      }
      return details[key];
    }
  };
})();
