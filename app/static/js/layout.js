// On every page: each data table becomes a stack of cards on a phone (siap.css), its
// cells titled by their column's header; Flask-AppBuilder's row checkboxes get a name
// a screen reader can say (the words come from the page, in its language). It runs before
// Flask-AppBuilder's scripts: lists of choices stay the browser's own (select2's widget
// fails a screen reader and is clumsy on a phone; the native list is neither).
(function () {
    "use strict";
    document.querySelectorAll("select.my_select2").forEach(function (select) {
        select.classList.remove("my_select2");
        select.classList.add("form-control");
    });
    var words = document.body.dataset;
    document.querySelectorAll("input[type=checkbox]:not([aria-label])").forEach(function (box) {
        if (box.labels && box.labels.length) { return; }
        box.setAttribute("aria-label",
                         box.id === "check_all" ? words.selectAll : words.selectRow);
    });
    document.querySelectorAll("table").forEach(function (table) {
        if (table.closest(".no-stack")) { return; }
        var headers = Array.prototype.map.call(
            table.querySelectorAll(":scope > thead > tr > th"),
            function (th) { return th.innerText.trim(); });
        table.classList.add("table-stack");
        table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
            Array.prototype.forEach.call(row.children, function (cell, index) {
                if (!cell.hasAttribute("data-label") && headers[index]) {
                    cell.setAttribute("data-label", headers[index]);
                }
            });
        });
    });
}());
