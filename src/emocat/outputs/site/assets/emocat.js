/* emocat: sortable tables, the papers filter and the leaderboard and results filters. No dependencies; every table reads fine without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function cellKey(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? (cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim()) : "";
    if (raw === "") { return null; }
    if (!numeric) { return raw.toLowerCase(); }
    var value = parseFloat(raw.replace(/,/g, ""));
    return isNaN(value) ? null : value;
  }

  /* Sort rows by one column; unknown values stay last in both directions; ties keep their order. */
  function sortRows(table, index, numeric, descending) {
    var body = table.tBodies[0];
    var keyed = Array.prototype.map.call(body.rows, function (row, position) {
      return { key: cellKey(row, index, numeric), position: position, row: row };
    });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return (a.key === null) - (b.key === null) || a.position - b.position;
      }
      var order = numeric ? a.key - b.key : a.key.localeCompare(b.key);
      return (descending ? -order : order) || a.position - b.position;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-emocat-ready")) { return; }
    table.setAttribute("data-emocat-ready", "");
    var headers = table.tHead.rows[0].cells;
    each(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "emocat-sort";
      button.title = "Sort by this column";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var current = th.getAttribute("aria-sort");  /* a first click follows data-first-sort (default: ascending) */
        var descending = current ? current === "ascending" : th.getAttribute("data-first-sort") === "descending";
        each(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortRows(table, index, th.getAttribute("data-type") === "number", descending);
      });
    });
  }

  function contains(list, value) { return (" " + list + " ").indexOf(" " + value + " ") >= 0; }

  /* The papers filter: modality, topic, year range, venue and free text, kept in the address. */
  function makeFilter(form) {
    var id = form.getAttribute("data-emocat-filter");
    var table = document.getElementById(id);
    var count = document.querySelector('[data-emocat-count="' + id + '"]');
    if (!table || form.hasAttribute("data-emocat-ready")) { return; }
    form.setAttribute("data-emocat-ready", "");
    var fields = form.elements;
    var params = new URLSearchParams(window.location.search);
    each(fields, function (field) {
      if (field.name && params.has(field.name)) { field.value = params.get(field.name); }
    });

    /* Generic form (data-emocat-match="fields"): each named field keeps rows whose data attribute of the same
       name equals its value (or, with data-match="token", holds it as one of its words); "q" searches data-text. */
    function matchFields(row) {
      var data = row.dataset;
      return Array.prototype.every.call(fields, function (field) {
        if (!field.name || !field.value) { return true; }
        if (field.name === "q") {
          return field.value.toLowerCase().split(/\s+/).filter(Boolean).every(function (word) {
            return (data.text || "").indexOf(word) >= 0;
          });
        }
        var have = data[field.name] || "";
        return field.getAttribute("data-match") === "token" ? contains(have, field.value) : have === field.value;
      });
    }

    function applyFields() {
      var shown = 0;
      each(table.tBodies[0].rows, function (row) {
        var match = matchFields(row);
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
    }

    function apply() {
      if (form.getAttribute("data-emocat-match") === "fields") { applyFields(); remember(); return; }
      var modality = fields.modality.value;
      var topic = fields.topic.value;
      var from = parseInt(fields.from.value, 10);
      var to = parseInt(fields.to.value, 10);
      var venue = fields.venue.value;
      var words = fields.q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      each(table.tBodies[0].rows, function (row) {
        var data = row.dataset;
        var year = parseInt(data.year, 10);
        var match = (!modality || contains(data.modalities, modality)) &&
          (!topic || contains(data.topics, topic)) &&
          (isNaN(from) || year >= from) &&
          (isNaN(to) || year <= to) &&
          (!venue || data.venue === venue) &&
          words.every(function (word) { return data.text.indexOf(word) >= 0; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
      remember();
    }

    function remember() {
      var query = new URLSearchParams();
      each(fields, function (field) { if (field.name && field.value) { query.set(field.name, field.value); } });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  function init() {
    each(document.querySelectorAll("table[data-emocat-sortable]"), makeSortable);
    each(document.querySelectorAll("form[data-emocat-filter]"), makeFilter);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
