// People pickers (common/widgets.py): the list of checkboxes narrows while one types in its search field, and
// its live region says how many people are chosen and found. Without this script, the "Chercher" button asks the
// server for the same narrowed list. A chosen person always stays in the list.
(function () {
  "use strict";
  var DELAY = 250;

  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function sentence(template, count, query) {
    return template.replace("{count}", String(count)).replace("{query}", query);
  }

  function attach(picker) {
    var input = picker.querySelector("[data-picker-search]");
    var status = picker.querySelector("[data-picker-count]");
    var options = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-option]"));
    var timer = null;

    function announce() {
      var query = input.value.trim();
      var chosen = 0;
      var found = 0;
      options.forEach(function (option) {
        if (option.querySelector("input").checked) chosen += 1;
        else if (!option.hidden) found += 1;
      });
      var data = status.dataset;
      var chosenText = sentence(chosen > 1 ? data.chosenMany : data.chosenOne, chosen, query);
      var foundText = query
        ? sentence(found > 1 ? data.foundMany : data.foundOne, found, query)
        : sentence(found > 1 ? data.allMany : data.allOne, found, query);
      status.textContent = chosenText + " ; " + foundText + ".";
    }

    function refresh() {
      var wanted = folded(input.value.trim());
      options.forEach(function (option) {
        var box = option.querySelector("input");
        option.hidden = !(box.checked || folded(option.textContent).indexOf(wanted) !== -1);
      });
      announce();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // the list is already narrowed: Enter must not send the whole form
        event.preventDefault();
        clearTimeout(timer);
        refresh();
      }
    });
    // A box ticked or unticked stays where it is (hiding it would lose the keyboard focus): only the count changes.
    picker.addEventListener("change", function (event) {
      if (event.target !== input) announce();
    });
  }

  document.querySelectorAll("[data-people-picker]").forEach(attach);
})();
