// Shows the "Print this guide" buttons (hidden without JavaScript, where the browser's own Print works).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
