// Registration and profile: show only the identity fields that apply (citizen or organisation).
// Without JavaScript both groups stay visible and the server checks the right one.
(function () {
  var select = document.getElementById("applicant_type");
  if (!select) return;
  var groups = document.querySelectorAll("[data-applicant-type]");
  function update() {
    groups.forEach(function (g) { g.hidden = g.getAttribute("data-applicant-type") !== select.value; });
  }
  select.addEventListener("change", update);
  update();
})();
