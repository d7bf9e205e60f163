// 双公示 pages: inline validation of the entry form (the import progress bar is static/js/job-progress.js).
// Served from our own origin (the CSP allows no inline script); the pages work without it.
(function () {
  "use strict";

  function showErrors(form, errors) {
    form.querySelectorAll(".field").forEach(function (box) {
      var input = box.querySelector("input, select, textarea");
      if (!input || !input.name) { return; }
      var live = box.querySelector(".error.inline");
      var messages = errors[input.name] || [];
      if (messages.length) {
        if (!live) {
          live = document.createElement("p");
          live.className = "error inline";
          live.id = (input.id || input.name) + "-inline-error";
          live.setAttribute("aria-live", "polite");
          box.appendChild(live);
        }
        live.textContent = messages.join(" ");
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", live.id);
        box.classList.add("has-error");
      } else if (live) {
        live.remove();
        input.removeAttribute("aria-invalid");
        box.classList.remove("has-error");
      }
    });
  }

  var form = document.getElementById("record-form");
  if (form && window.fetch) {
    var timer = null;
    var check = function () {
      fetch(form.dataset.validateUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { showErrors(form, data.errors || {}); } })
        .catch(function () { /* the server checks again on submit */ });
    };
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
  }
})();
