// SPDX-License-Identifier: EUPL-1.2
// Polls a job's status and updates the progress bar; reloads the page when the job
// has finished, so the server renders its result. Without JavaScript the page
// refreshes itself (a meta refresh in <noscript>).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.progress;
        text.textContent = job.progress + "%" + (job.message ? ": " + job.message : "");
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
