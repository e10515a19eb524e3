// The running total of the self-assessment form, as the unit types: the groups' sums, the
// bonus at most its maximum, the penalty subtracted, never below zero. The grade it gives is
// computed by the server when the draft is saved.
(function () {
  "use strict";
  var form = document.getElementById("grading-form");
  if (!form) return;
  var total = document.getElementById("running-total");
  function value(input) {
    var number = parseFloat((input.value || "").replace(",", "."));
    return isNaN(number) ? 0 : number;
  }
  function show(number) {
    return (Math.round(number * 100) / 100).toString().replace(".", ",");
  }
  function update() {
    var groups = {};
    form.querySelectorAll("input.points").forEach(function (input) {
      var id = input.dataset.group;
      if (!groups[id]) groups[id] = { kind: input.dataset.kind, max: parseFloat(input.dataset.groupMax), sum: 0 };
      groups[id].sum += value(input);
    });
    var sum = 0;
    Object.keys(groups).forEach(function (id) {
      var group = groups[id];
      var points = group.kind === "bonus" ? Math.min(group.sum, group.max) : group.sum;
      sum += group.kind === "penalty" ? -points : points;
      var label = form.querySelector('[data-group-sum="' + id + '"]');
      if (label) label.textContent = show(points);
    });
    total.textContent = show(Math.max(sum, 0));
  }
  form.addEventListener("input", update);
  update();
})();
