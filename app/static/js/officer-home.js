// What an officer sees while something slow runs (SK numbering, signing take seconds):
// - <form data-busy="Text…">: once sent, its button shows a spinner and the text, and a
//   second press sends nothing;
// - <form data-batch-sign> (the signing page): the chosen files are signed one per
//   request, showing "2 of 5", then a summary; without fetch the form is sent as is.
// Texts come from the page's data attributes (translated there); "{name}" is filled in.
(function () {
  "use strict";

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function busy(button, text) {
    if (!button) { return; }
    if (button.dataset.idleHtml === undefined) { button.dataset.idleHtml = button.innerHTML; }
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = "";
    var spinner = document.createElement("i");
    spinner.className = "fa fa-spinner fa-spin";
    spinner.setAttribute("aria-hidden", "true");
    button.appendChild(spinner);
    button.appendChild(document.createTextNode(" " + text));
  }

  function idle(button) {
    if (!button || button.dataset.idleHtml === undefined) { return; }
    button.innerHTML = button.dataset.idleHtml;
    delete button.dataset.idleHtml;
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }

  function submitButton(form) {
    return form.querySelector("button[type=submit]");
  }

  function sendOnce(form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      var chosen = form.querySelectorAll("input[type=checkbox]:checked:not([data-select-all])");
      busy(submitButton(form), fill(form.dataset.busy, {count: chosen.length}));
    });
  }

  function alertBox(kind, text) {
    var box = document.createElement("div");
    box.className = "alert alert-" + kind;
    box.textContent = text;
    return box;
  }

  // The menu's count of files waiting for the signature, after some were signed.
  function updateMenuCount(form) {
    var left = form.querySelectorAll("input.ds-file").length;
    var selector = '.navbar a[href="' + form.dataset.menuHref + '"] .badge';
    document.querySelectorAll(selector).forEach(function (badge) {
      if (left) { badge.textContent = String(left); } else { badge.remove(); }
    });
  }

  function batchSign(form) {
    var button = submitButton(form);
    var progress = document.getElementById("ds-progress");
    var summary = document.getElementById("ds-summary");
    var passphraseField = form.querySelector("[name=passphrase]");
    var token = form.querySelector("[name=csrf_token]").value;

    function ask(box) {
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("passphrase", passphraseField.value);
      data.append(box.name, box.value);
      return fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": token}
      }).then(function (response) {
        return response.json();  // a login page or an error page is no answer
      }).catch(function () {
        return {outcome: "failed", stop: true, message: form.dataset.failedRequest};
      });
    }

    function finish(boxes, signed, failures, skipped) {
      progress.hidden = true;
      summary.textContent = "";
      if (signed) { summary.appendChild(alertBox("success", fill(form.dataset.signed, {count: signed}))); }
      failures.forEach(function (text) { summary.appendChild(alertBox("danger", text)); });
      if (skipped) { summary.appendChild(alertBox("warning", fill(form.dataset.skipped, {count: skipped}))); }
      passphraseField.value = "";
      var all = document.getElementById("ds-all");
      if (all) { all.checked = false; }
      updateMenuCount(form);
      idle(button);
      delete form.dataset.sent;
      summary.scrollIntoView({block: "start"});
    }

    form.addEventListener("submit", function (event) {
      var boxes = Array.prototype.slice.call(form.querySelectorAll("input.ds-file:checked"));
      if (!window.fetch || !window.FormData || !boxes.length || !passphraseField.value) {
        return;  // the page's own form: the server answers with its messages
      }
      event.preventDefault();
      if (form.dataset.sent) { return; }
      form.dataset.sent = "1";
      busy(button, fill(form.dataset.busy, {count: boxes.length}));
      summary.textContent = "";
      var signed = 0;
      var failures = [];

      function next(index) {
        if (index >= boxes.length) { finish(boxes, signed, failures, 0); return; }
        progress.hidden = false;
        progress.textContent = fill(form.dataset.progress, {done: index + 1, total: boxes.length});
        ask(boxes[index]).then(function (answer) {
          if (answer.outcome === "signed") {
            signed += 1;
            var card = boxes[index].closest(".ds-card");
            if (card) { card.remove(); }
          } else {
            failures.push((answer.label ? answer.label + ": " : "") + (answer.message || ""));
          }
          if (answer.stop) {
            finish(boxes, signed, failures, boxes.length - index - 1);
          } else {
            next(index + 1);
          }
        });
      }
      next(0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-batch-sign]").forEach(batchSign);
    document.querySelectorAll("form[data-busy]").forEach(sendOnce);
  });

  // A page shown again from the browser's history is ready to be used again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      idle(submitButton(form));
    });
  });
})();
