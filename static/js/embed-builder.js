// The embed builder's live preview: on each change, ask the server for the same page with the new
// choices and swap in its code and preview. Without JavaScript the "Make the code" button does it.
// Needs map-common.js (the form's query).
(function () {
  var form = document.getElementById("embed-builder");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var timer = null;

  function wireCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        navigator.clipboard.writeText(source.value).then(function () {
          var status = document.getElementById("copy-status");
          if (status) { status.textContent = button.dataset.copied || "✓"; }
        });
      });
    });
  }

  function refresh() {
    var url = form.action + "?" + window.twhMap.formQuery(form);
    fetch(url, { credentials: "same-origin" }).then(function (response) { return response.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var newSnippet = fresh.getElementById("embed-snippet");
      var snippet = document.getElementById("embed-snippet");
      var preview = document.getElementById("embed-preview");
      var newPreview = fresh.getElementById("embed-preview");
      if (!newSnippet || !snippet || !preview || !newPreview) { return; }
      snippet.value = newSnippet.value;
      var link = document.getElementById("plain-link"), newLink = fresh.getElementById("plain-link");
      if (link && newLink) { link.href = newLink.href; link.textContent = newLink.textContent; }
      if (preview.getAttribute("src") !== newPreview.getAttribute("src")) { preview.src = newPreview.getAttribute("src"); }
      preview.height = newPreview.height;
      preview.title = newPreview.title;
      window.history.replaceState(null, "", url);
    });
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  wireCopy();
})();
