// Small page behaviours, bound by data attributes (no inline handlers: the
// Content-Security-Policy runs only the app's own script files and nonce'd scripts).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // <input type="checkbox" data-select-all=".css-selector">: ticks or clears them all.
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll(box.dataset.selectAll).forEach(function (item) {
          item.checked = box.checked;
        });
      });
    });
    // <form data-confirm="Question?">: sent only when the user agrees.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    // <button data-print>: prints the page.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
