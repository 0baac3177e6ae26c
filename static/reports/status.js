/* Follows the reports being produced without reloading the page: every 2 s, each pending or
   running report asks its status; the download link appears when the PDF is ready. */
(function () {
  "use strict";
  function follow(badge) {
    var row = badge.closest("tr");
    function poll() {
      fetch(badge.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          badge.textContent = data.label;
          badge.className = "report-status status status-report-" + data.status;
          if (data.ready) {
            row.querySelector(".download-link").hidden = false;
          } else if (data.status !== "failed") {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }
  document.querySelectorAll("[data-status-url]").forEach(follow);
})();
