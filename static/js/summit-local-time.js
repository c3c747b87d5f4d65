// Shows the summit's times in the visitor's own time zone, when it differs from Chicago's.
(function () {
  "use strict";
  function offsetAt(date, zone) {
    // Minutes east of UTC that `zone` observes at `date`.
    var parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(date);
    var v = {};
    parts.forEach(function (p) { v[p.type] = p.value; });
    var asUtc = Date.UTC(+v.year, +v.month - 1, +v.day, +v.hour % 24, +v.minute, +v.second);
    return Math.round((asUtc - date.getTime()) / 60000);
  }
  document.querySelectorAll(".summit-local-time").forEach(function (el) {
    var start = new Date(el.dataset.start), end = new Date(el.dataset.end);
    if (isNaN(start) || isNaN(end)) { return; }
    var visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (visitorZone === el.dataset.homeZone ||
        offsetAt(start, visitorZone) === offsetAt(start, el.dataset.homeZone)) { return; }
    var lang = document.documentElement.lang || undefined;
    var day = new Intl.DateTimeFormat(lang, { weekday: "long", month: "long", day: "numeric", year: "numeric" });
    var time = new Intl.DateTimeFormat(lang, { hour: "numeric", minute: "2-digit", timeZoneName: "short" });
    var sameDay = day.format(start) === day.format(end);
    el.textContent = el.dataset.label + " " + day.format(start) + ", " + time.format(start) + " – " +
      (sameDay ? "" : day.format(end) + ", ") + time.format(end);
    el.hidden = false;
  });
})();
