// The document review of the file page (application/detail.html): a document opens in a
// panel beside its verdict buttons (below them on a phone), a verdict is saved without
// leaving the page, and "accept all" asks in a dialog first. Without this script the same
// links and forms work as plain pages: the document opens in a new tab, a verdict posts
// and comes back, "accept all" has its own confirmation page.
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 992px)");

  function each(root, selector, action) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), action);
  }

  function setUp(review) {
    var layout = review.querySelector(".review-layout");
    var panel = review.querySelector("[data-review-panel]");
    var networkError = review.dataset.networkError;
    var openRow = null;

    function rows() {
      return Array.prototype.slice.call(review.querySelectorAll("[data-document-row]"));
    }

    // --- the document in the page ----------------------------------------------------

    function place() {
      if (!openRow) { return; }
      if (WIDE.matches) {
        layout.appendChild(panel);
      } else {
        openRow.querySelector("td:last-child").appendChild(panel);
      }
    }

    function viewerFor(link) {
      var viewer;
      if (link.dataset.previewKind === "image") {
        viewer = document.createElement("img");
        viewer.alt = link.dataset.previewTitle;
      } else {
        viewer = document.createElement("iframe");
        viewer.title = link.dataset.previewTitle;
      }
      viewer.src = link.dataset.previewUrl;
      viewer.setAttribute("data-review-viewer", link.dataset.previewKind);
      return viewer;
    }

    function openDocument(row) {
      var link = row.querySelector("[data-preview-url]");
      if (!link) { return false; }
      var body = panel.querySelector("[data-review-panel-body]");
      body.textContent = "";
      body.appendChild(viewerFor(link));
      panel.querySelector("[data-review-panel-title]").textContent = link.dataset.previewTitle;
      panel.querySelector("[data-review-panel-download]").href =
        row.querySelector("[data-download]").href;
      openRow = row;
      place();
      panel.hidden = false;
      review.classList.add("is-previewing");
      rows().forEach(function (other) { other.classList.toggle("is-open", other === row); });
      return true;
    }

    function closeDocument() {
      panel.hidden = true;
      panel.querySelector("[data-review-panel-body]").textContent = "";
      review.classList.remove("is-previewing");
      if (openRow) {
        openRow.classList.remove("is-open");
        openRow.focus();
      }
      openRow = null;
    }

    each(review, "[data-preview-url]", function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openDocument(link.closest("[data-document-row]"));
      });
    });
    panel.querySelector("[data-review-panel-close]").addEventListener("click", closeDocument);
    WIDE.addEventListener("change", place);

    // --- verdicts without leaving the page -------------------------------------------

    function showRemaining(answer) {
      each(document, "[data-review-remaining]", function (element) {
        element.textContent = answer.remaining_text;
      });
      if (answer.remaining === 0) {
        each(document, "[data-accept-all]", function (button) { button.hidden = true; });
      }
    }

    function nextToJudge(row) {
      var all = rows();
      var after = all.slice(all.indexOf(row) + 1).concat(all.slice(0, all.indexOf(row)));
      return after.find(function (other) { return other.dataset.verdict === "pending"; });
    }

    function judged(row, answer) {
      row.dataset.verdict = answer.verdict;
      row.classList.toggle("success", answer.verdict === "accepted");
      row.classList.toggle("danger", answer.verdict === "rejected");
      row.querySelector("[data-verdict-text]").textContent =
        answer.reason ? answer.label + ": " + answer.reason : answer.label;
      row.querySelector("input[name=reason]").value = "";
      showRemaining(answer);
      var next = nextToJudge(row);
      if (!next) {
        var status = review.querySelector("[data-review-remaining]");
        if (status) { status.focus(); }
        return;
      }
      if (openRow) { openDocument(next); }
      next.focus();
      next.scrollIntoView({block: "nearest"});
    }

    function showError(form, message) {
      var error = form.querySelector("[data-verdict-error]");
      error.textContent = message;
      error.hidden = false;
    }

    function send(form, verdict) {
      var row = form.closest("[data-document-row]");
      var buttons = form.querySelectorAll("button");
      var data = new FormData(form);
      data.append("verdict", verdict);
      form.querySelector("[data-verdict-error]").hidden = true;
      each(form, "button", function (button) { button.disabled = true; });
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {"Accept": "application/json",
                  "X-CSRFToken": form.querySelector("input[name=csrf_token]").value}
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (response.ok) {
            judged(row, answer);
          } else {
            showError(form, answer.message || networkError);
          }
        });
      }).catch(function () {
        showError(form, networkError);
      }).then(function () {
        Array.prototype.forEach.call(buttons, function (button) { button.disabled = false; });
      });
    }

    each(review, "[data-verdict-form]", function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var submitter = event.submitter;
        if (submitter && submitter.name === "verdict") { send(form, submitter.value); }
      });
      // Enter in the reason rejects with it (the form's first button would accept).
      form.querySelector("input[name=reason]").addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();
        if (event.target.value.trim()) { send(form, "rejected"); }
      });
    });

    // --- "accept all" asks first ----------------------------------------------------

    var dialog = document.getElementById("terima-semua-dialog");
    if (dialog && typeof dialog.showModal === "function") {
      each(review, "[data-accept-all]", function (button) {
        button.addEventListener("click", function (event) {
          event.preventDefault();
          dialog.showModal();
        });
      });
      each(dialog, "[data-dialog-close]", function (button) {
        button.addEventListener("click", function () { dialog.close(); });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document, "[data-document-review]", setUp);
  });
})();
