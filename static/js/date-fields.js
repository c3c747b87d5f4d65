/* A date (or date-and-time) field is one Tab stop, like every other field. Chromium otherwise
   stops on each part (month, day, year, ... and the calendar button): 4 to 7 presses per field.
   Inside the field the arrow keys still move between the parts, and Alt+Down opens the
   calendar. */
(function () {
  "use strict";
  var FIELDS = 'input[type="date"], input[type="datetime-local"], input[type="time"], input[type="month"]';
  var FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

  function tabbable() {
    return Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), function (el) {
      if (el.disabled || el.tabIndex < 0 || el.type === "hidden") { return false; }
      if (!el.getClientRects().length) { return false; }
      return getComputedStyle(el).visibility !== "hidden";
    });
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLInputElement) || !field.matches(FIELDS)) { return; }
    if (event.key === "ArrowDown" && event.altKey && typeof field.showPicker === "function") {
      event.preventDefault();
      try { field.showPicker(); } catch (error) { /* not allowed here: the parts still work */ }
      return;
    }
    if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var order = tabbable();
    var next = order[order.indexOf(field) + (event.shiftKey ? -1 : 1)];
    if (!next) { return; }  // the first or last stop: let the browser leave the page
    event.preventDefault();
    next.focus();
  });
})();
