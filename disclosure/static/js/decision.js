// The item decision form on the case page: show only the fields the chosen outcome needs, and what the reply
// letter already says before the reasons. The table and the openings come from the form's data attributes.
// Without JavaScript every field stays visible, each with a hint naming the outcomes it applies to, and the
// server keeps only the fields of the chosen outcome.
(function () {
  var forms = document.querySelectorAll("form[data-decision-fields]");
  Array.prototype.forEach.call(forms, function (form) {
    var table = JSON.parse(form.getAttribute("data-decision-fields"));
    var openings = JSON.parse(form.getAttribute("data-openings") || "{}");
    var select = form.querySelector("select[name$='-outcome']:not([name$='-withheld_outcome'])");
    if (!select) return;
    var names = {};
    Object.keys(table).forEach(function (k) { table[k].forEach(function (n) { names[n] = true; }); });
    function wrapper(name) {
      var control = form.querySelector("[name$='-" + name + "']");
      return control ? control.closest(".field") : null;
    }
    function update() {
      var shown = table[select.value] || [];
      Object.keys(names).forEach(function (name) {
        var w = wrapper(name);
        if (w) w.hidden = shown.indexOf(name) < 0;
      });
      Array.prototype.forEach.call(form.querySelectorAll(".applies"), function (el) { el.hidden = true; });
      var opening = form.querySelector(".opening");
      if (opening) {
        opening.textContent = openings[select.value] || "";
        opening.hidden = !openings[select.value];
      }
    }
    select.addEventListener("change", update);
    update();
  });
})();
