// The catalogue entry form (progressive enhancement): groups of fields that apply only to some entries
// (the basis of a withheld attribute, the normative-document and interpretation fields) are hidden while they
// do not apply. Without JavaScript every group shows, each saying when it applies; the server judges either way.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (group) {
      var control = form.elements[group.getAttribute("data-show-when")];
      if (!control) return;
      var wanted = group.getAttribute("data-values").split(" ");
      var show = wanted.indexOf(control.value) !== -1 || group.querySelector(".has-error") !== null;
      group.hidden = !show;
      group.style.display = show ? "" : "none"; // a stylesheet's display rule would otherwise win over [hidden]
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("entry-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
