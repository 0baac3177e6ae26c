// The contest form, a little quicker with JavaScript (the server does all of this without it):
// - the address is proposed from the title while it has not been typed by hand;
// - each criterion's share of the score follows its weight as one types (whole percents summing to 100,
//   the points lost to rounding going to the largest remainders, as contests.selectors.weight_shares does;
//   a criterion without a name or ticked for removal counts for nothing, as on the server);
// - Enter in a field saves the contest, as it did before the jury picker: the browser would otherwise press the
//   first button of the form, the picker's "Chercher" (the picker's own search field keeps Enter for itself).
(function () {
  "use strict";

  var save = document.querySelector("[data-default-submit]");
  if (save && save.form) {
    save.form.addEventListener("keydown", function (event) {
      var field = event.target;
      var typing = field.tagName === "INPUT" && !/^(checkbox|radio|submit|button|search)$/.test(field.type);
      if (event.key === "Enter" && typing && !event.defaultPrevented) {
        event.preventDefault();
        save.form.requestSubmit(save);
      }
    });
  }

  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "")
      .trim()
      .replace(/[\s-]+/g, "-")
      .slice(0, 70)
      .replace(/-+$/, "");
  }

  var slug = document.querySelector("[data-slug-from]");
  if (slug) {
    var title = document.getElementById(slug.dataset.slugFrom);
    var typed = slug.value !== "" && slug.value !== slugify(title ? title.value : "");
    slug.addEventListener("input", function () {
      typed = slug.value !== "";
    });
    if (title) {
      title.addEventListener("input", function () {
        if (!typed) slug.value = slugify(title.value);
      });
    }
  }

  function shares(weights) {
    var total = weights.reduce(function (sum, weight) { return sum + weight; }, 0);
    if (total <= 0) return weights.map(function () { return null; });
    var exact = weights.map(function (weight) { return (100 * weight) / total; });
    var result = exact.map(Math.floor);
    var left = 100 - result.reduce(function (sum, share) { return sum + share; }, 0);
    var order = exact.map(function (value, index) { return index; });
    order.sort(function (a, b) { return (exact[b] - result[b]) - (exact[a] - result[a]) || a - b; });
    order.slice(0, left).forEach(function (index) { result[index] += 1; });
    return result;
  }

  var grid = document.querySelector("[data-criteria-grid]");
  if (!grid) return;
  var label = grid.querySelector("[data-share]");
  var prefixText = label ? label.textContent.split(":")[0] + " : " : "";

  function weightOf(row) {
    var weight = row.querySelector("input[name$='-weight']");
    var name = row.querySelector("input[name$='-name']");
    var removed = row.querySelector("input[name$='-DELETE']");
    var value = weight && /^\d+$/.test(weight.value.trim()) ? parseInt(weight.value, 10) : 0;
    return (removed && removed.checked) || !(name && name.value.trim()) ? 0 : value;
  }

  function refresh() {
    var rows = Array.prototype.slice.call(grid.querySelectorAll("[data-criterion]"));
    var weights = rows.map(weightOf);
    var computed = shares(weights);
    rows.forEach(function (row, index) {
      var share = weights[index] ? computed[index] : null;
      row.querySelector("[data-share]").textContent = prefixText + (share === null ? "—" : share + " %");
    });
  }

  grid.addEventListener("input", refresh);
  grid.addEventListener("change", refresh);
})();
