// The forum form shows only the cadence fields that the chosen cadence uses.
(function () {
  "use strict";
  var form = document.querySelector(".forum-form");
  if (!form) { return; }
  var uses = {
    per_year: ["cadence_count", "cadence_weekday", "cadence_time"],
    weekly: ["cadence_weekday", "cadence_time"],
    every_n_weeks: ["cadence_count", "cadence_weekday", "cadence_time"],
    as_needed: []
  };
  var optional = ["cadence_count", "cadence_weekday", "cadence_time"];
  function fieldBox(name) {
    var input = form.querySelector("[name='" + name + "']");
    return input ? input.closest(".field") : null;
  }
  function update() {
    var checked = form.querySelector("input[name='cadence_kind']:checked");
    var wanted = uses[checked ? checked.value : "as_needed"] || [];
    optional.forEach(function (name) {
      var box = fieldBox(name);
      if (box && !box.classList.contains("field--error")) {
        box.hidden = wanted.indexOf(name) === -1;
      }
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "cadence_kind") { update(); }
  });
  update();
})();
