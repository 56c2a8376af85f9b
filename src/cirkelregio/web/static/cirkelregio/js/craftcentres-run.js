// SPDX-License-Identifier: EUPL-1.2
// The run page of a craft-centre network scenario: posts one step at a time (each
// solves the next p on the server), moves the progress bar and says how far it is.
// Without JavaScript the same form solves one p per click.
(function () {
  "use strict";

  var box = document.querySelector("[data-cc-run]");
  var form = document.querySelector("[data-cc-step]");
  if (!box || !form || !window.fetch) { return; }
  var bar = document.getElementById("cc-progress");
  var status = document.getElementById("cc-status");
  var button = form.querySelector("[data-cc-start]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function say(text) { status.textContent = text; }

  function step(next) {
    say(box.dataset.busyLabel.replace("%(p)s", String(next)));
    box.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      bar.max = data.total;
      bar.value = data.done;
      bar.textContent = data.done + " / " + data.total;
      if (data.error) {
        box.removeAttribute("aria-busy");
        say(box.dataset.errorLabel + " " + data.error);
        return;
      }
      if (data.next === null) {
        box.removeAttribute("aria-busy");
        box.dataset.finished = "true";
        say(box.dataset.doneLabel);
        return;
      }
      step(data.next);
    }).catch(function () {
      box.removeAttribute("aria-busy");
      say(box.dataset.errorLabel);
      button.disabled = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    var match = /\d+/.exec(button.textContent);
    step(match ? match[0] : "");
  });
})();
