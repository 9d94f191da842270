/*
 * The HTML report's script, inlined into its <script> and allowed by its hash in the
 * Content-Security-Policy (src/report/inline-assets.ts): filters, sorting, copy buttons,
 * "Expand all", print. Plain ES5 in one function, no module and no import; the report reads
 * without it.
 */
(function () {
  "use strict";
  var doc = document;
  function byId(id) { return doc.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  var live = byId("live-status");
  function announce(message) { if (live) { live.textContent = ""; live.textContent = message; } }

  var table = byId("findings-table");
  var form = byId("findings-filters");
  if (table && form) {
    var bodies = Array.prototype.filter.call(table.tBodies, function (body) { return body.classList.contains("finding"); });
    var total = bodies.length;
    var count = byId("findings-count");
    var empty = byId("findings-empty");
    var severity = byId("filter-severity"), rule = byId("filter-rule"), subscription = byId("filter-subscription"), text = byId("filter-text");
    var owner = byId("filter-owner"), change = byId("filter-change");
    var searchText = function (body) {
      if (body._search === undefined) {
        // What the row shows: its cells without the remediation and evidence inside <details>.
        var parts = [];
        each(body.rows[0].cells, function (cell) {
          each(cell.childNodes, function (node) { if (node.nodeName !== "DETAILS") parts.push(node.textContent); });
        });
        body._search = parts.join(" ").replace(/\s+/g, " ").toLowerCase();
      }
      return body._search;
    };
    var apply = function () {
      var terms = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      each(bodies, function (body) {
        var visible = (!severity.value || body.getAttribute("data-severity") === severity.value) &&
          (!rule.value || body.getAttribute("data-rule") === rule.value) &&
          (!subscription.value || body.getAttribute("data-subscription") === subscription.value) &&
          (!owner || !owner.value || body.getAttribute("data-owner") === owner.value) &&
          (!change || !change.value || body.getAttribute("data-change") === change.value) &&
          terms.every(function (term) { return searchText(body).indexOf(term) !== -1; });
        body.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown === total ? "Showing all " + total + " findings" : "Showing " + shown + " of " + total + " findings";
      empty.hidden = shown !== 0 || total === 0;
      if (total > 0) empty.textContent = "No finding matches these filters.";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    each(doc.querySelectorAll("[data-filter-owner]"), function (button) {
      button.addEventListener("click", function () {
        if (!owner) return;
        owner.value = button.getAttribute("data-filter-owner");
        apply();
        byId("findings").scrollIntoView();
        owner.focus();
      });
    });
    each(doc.querySelectorAll("[data-filter-severity]"), function (button) {
      button.addEventListener("click", function () {
        var value = button.getAttribute("data-filter-severity");
        var exists = Array.prototype.some.call(severity.options, function (option) { return option.value === value; });
        severity.value = exists ? value : "";
        apply();
        byId("findings").scrollIntoView();
        severity.focus();
      });
    });

    var headers = table.tHead.rows[0].cells;
    var sortRows = function (index, direction) {
      var factor = direction === "ascending" ? 1 : -1;
      var key = function (body) {
        var cell = body.rows[0].cells[index];
        var value = cell.getAttribute("data-sort");
        return value !== null ? value : cell.textContent.replace(/\s+/g, " ").trim().toLowerCase();
      };
      bodies.sort(function (a, b) {
        var x = key(a), y = key(b), order;
        if (x !== "" && y !== "" && !isNaN(x) && !isNaN(y)) order = Number(x) - Number(y);
        else order = x < y ? -1 : x > y ? 1 : 0;
        return order * factor || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
      });
      each(bodies, function (body) { table.appendChild(body); });
      each(headers, function (th, i) { if (i === index) th.setAttribute("aria-sort", direction); else th.removeAttribute("aria-sort"); });
      announce("Sorted by " + headers[index].textContent + ", " + direction);
    };
    each(table.querySelectorAll("th button.sort"), function (button) {
      button.addEventListener("click", function () {
        var index = Number(button.getAttribute("data-column-index"));
        var current = headers[index].getAttribute("aria-sort");
        var direction = current ? (current === "ascending" ? "descending" : "ascending") : button.getAttribute("data-first-direction");
        sortRows(index, direction);
      });
    });
  }

  var toggle = doc.querySelector("[data-action=toggle-details]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-pressed") !== "true";
      each(doc.querySelectorAll("details.fix"), function (details) { details.open = open; });
      toggle.setAttribute("aria-pressed", String(open));
      toggle.textContent = open ? "Collapse all" : "Expand all";
    });
  }
  var print = doc.querySelector("[data-action=print]");
  if (print) print.addEventListener("click", function () { window.print(); });

  var legacyCopy = function (value) {
    var area = doc.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    doc.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = doc.execCommand("copy"); } catch (error) { copied = false; }
    doc.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  };
  var copyText = function (value) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value).catch(function () { return legacyCopy(value); });
    }
    return legacyCopy(value);
  };
  var feedback = function (button, message, ok) {
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.textContent = message;
    button.classList.toggle("copied", ok);
    announce(message);
    clearTimeout(button._reset);
    button._reset = setTimeout(function () { button.textContent = button.getAttribute("data-label"); button.classList.remove("copied"); }, 2500);
  };
  doc.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) return;
    var source = byId(button.getAttribute("data-copy-target"));
    if (!source) return;
    copyText(source.textContent).then(function () { feedback(button, "Copied", true); }, function () {
      var range = doc.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      feedback(button, "Press Ctrl+C", false);
    });
  });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    each(doc.querySelectorAll("details[data-print-open]:not([open])"), function (details) { details.open = true; opened.push(details); });
  });
  window.addEventListener("afterprint", function () {
    each(opened, function (details) { details.open = false; });
    opened = [];
  });
})();
