// The progress bar of a background job's page (imports, exports): polls the JSON status at
// data-status-url of the element #job-progress (or #import-progress), shows the percentage and the counters (elements with id "import-<key>" or "job-<key>"),
// and reloads the page when the job is done. Served from our own origin (the CSP allows no inline script);
// without it the page shows the state at load and a reload shows the rest.
(function () {
  "use strict";

  var box = document.getElementById("job-progress") || document.getElementById("import-progress");
  function setText(key, value) {
    var el = document.getElementById("import-" + key) || document.getElementById("job-" + key);
    if (el && value !== undefined && value !== null) { el.textContent = value; }
  }

  if (box && box.dataset.done !== "true" && window.fetch) {
    var bar = box.querySelector("progress");
    var poll = function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.percent;
          setText("percent", s.percent);
          setText("processed", s.processed);
          setText("status", s.status_label);
          ["created", "updated", "unchanged", "errors", "entries"].forEach(function (k) { setText(k, s[k]); });
          if (s.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
