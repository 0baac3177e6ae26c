// Suggestions while typing a title: the region under the field asks the server for the ideas and projects with a
// similar title (an HTML fragment, escaped by the server) and shows them. Without this script, the form's
// "Vérifier les doublons" button shows the same list.
(function () {
  "use strict";
  var DELAY = 350;

  function attach(region) {
    var input = document.getElementById(region.dataset.similarSource);
    if (!input) return;
    var timer = null;
    var controller = null;
    var last = input.value.trim();

    function refresh() {
      var title = input.value.trim();
      if (title === last) return;
      last = title;
      if (controller) controller.abort();
      controller = new AbortController();
      var params = new URLSearchParams({ titre: title });
      if (region.dataset.similarExclude) params.set("exclure", region.dataset.similarExclude);
      fetch(region.dataset.similarUrl + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && input.value.trim() === title) region.innerHTML = html;
        })
        .catch(function () {});  // an aborted or failed request leaves the previous list
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY);
    });
  }

  document.querySelectorAll("[data-similar-url]").forEach(attach);
})();
