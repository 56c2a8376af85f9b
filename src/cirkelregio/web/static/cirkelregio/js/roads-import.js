// SPDX-License-Identifier: EUPL-1.2
// The road imports: while a file is uploaded and checked, the form says so (a live
// region reads the message out) and its button cannot be pressed twice. After a
// failed import the error summary takes the focus.
(function () {
  "use strict";

  document.querySelectorAll("form.cr-import").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector(".cr-busy");
      form.setAttribute("aria-busy", "true");
      form.classList.add("cr-import--busy");
      if (status) { status.textContent = form.dataset.busyText || ""; }
      if (button) {
        // Disabled after the submit event, so that the form is still sent.
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });
  var summary = document.querySelector(".cr-error-summary");
  if (summary) { summary.focus(); }
})();
