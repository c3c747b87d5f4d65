/* After a failed submit, focus goes to the error summary (so a screen reader reads it and the
   keyboard starts there); each summary link moves focus to the first control of its field. */
(function () {
  "use strict";
  var summary = document.getElementById("form-problem");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus-target]");
    var target = link && document.getElementById(link.getAttribute("data-focus-target"));
    if (!target) { return; }
    event.preventDefault();
    // Centre the control so its label (or its group's legend) stays in view above it.
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });
})();
