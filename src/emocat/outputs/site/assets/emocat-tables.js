/* emocat tables: the sortable tables of the site, small ones sorted and filtered in the document, large ones
   (outputs/site/tables.py) from their data, a page at a time. No dependencies; emocat.js uses it through
   window.emocat, and every table reads fine without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* The catalog's one text collation (emocat.catalog.view.natural_key): case-folded, and every run of digits
     replaced by NUL, a length mark and the digits without leading zeros, so that a number sorts before text
     at the same place and numbers compare by value ("Llama 2" < "Llama 10"). Keys compare by code unit,
     as Python compares strings. toUpperCase().toLowerCase() folds what casefold folds (ß -> ss, ς -> σ). */
  function naturalKey(text) {
    return String(text).toLowerCase().toUpperCase().toLowerCase().replace(/[0-9]+/g, function (run) {
      var digits = run.replace(/^0+/, "");
      return "\u0000" + String.fromCharCode(digits.length + 1) + digits;
    });
  }

  function compareText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* What a cell sorts by: its data-sort, else its text (outputs/site/tables.py reads the same for large tables). */
  function cellText(cell) {
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function sortKey(raw, numeric) {
    if (!raw) { return null; }
    if (!numeric) { return naturalKey(raw); }
    var value = parseFloat(raw.replace(/,/g, ""));
    return isNaN(value) ? null : value;
  }

  /* "data-first-sort" -> "firstSort", the name element.dataset gives it. */
  function datasetName(attribute) {
    return attribute.slice(5).replace(/-([a-z])/g, function (match, letter) { return letter.toUpperCase(); });
  }

  function escapeAttribute(value) { return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;"); }

  function formatCount(n) { return n.toLocaleString("en-US"); }

  /* A sortable table's rows as records in their current order, each with its data attributes (data), whether
     the filter keeps it (shown) and its <tr> once there is one (row). A small table keeps every row in the
     document and hides what the filter drops. A large one (data-emocat-rows: built by outputs/site/tables.py)
     keeps its rows as records read from the JSON beside it, with each cell's HTML and sort string, and puts
     only the current page of the shown records into the tbody. Sorting and filtering work on the records. */
  function Rows(table) {
    var source = document.getElementById(table.getAttribute("data-emocat-rows") || "");
    this.table = table;
    this.body = table.tBodies[0];
    this.paged = Boolean(source);
    this.page = 0;
    this.filtered = false;  /* a filter form re-reads the page with its fields (makeFilter) */
    this.size = parseInt(table.getAttribute("data-emocat-page-size"), 10) || 100;
    this.records = this.paged ? readData(source) : Array.prototype.map.call(this.body.rows, function (row) {
      return { data: row.dataset, row: row, id: row.id, shown: !row.hidden, keys: {} };
    });
    if (this.paged) {
      var records = this.records;
      var self = this;
      each(this.body.rows, function (row, index) { if (records[index]) { records[index].row = row; } });
      /* the page, counted from 1, is in the address: ?page=3, or ?page-ID=3 where a page has several such tables */
      this.param = document.querySelectorAll("table[data-emocat-rows]").length > 1 ? "page-" + source.id : "page";
      this.pagers = document.querySelectorAll('[data-emocat-pager="' + source.id + '"]');
      this.makePagers();
      each(document.querySelectorAll('[data-emocat-note="' + source.id + '"]'), function (note) { note.hidden = true; });
      this.page = this.addressPage();
      this.render();
      window.addEventListener("popstate", function () {
        if (!self.filtered) {
          self.page = self.addressPage();
          self.render();
        }
      });
      window.addEventListener("hashchange", function () { self.reveal(); });
    }
  }

  /* The records of a large table's JSON (outputs/site/tables.py, table_data): {attributes: [names], rows:
     [[values, cells, sorts]]}, where a cell is the content of a plain <td> or [its HTML], and sorts holds
     {index: sort string} for the cells that do not sort by the string in cells. */
  function readData(source) {
    var parsed = JSON.parse(source.textContent);
    var names = parsed.attributes;
    var keys = names.map(function (name) { return name.lastIndexOf("data-", 0) === 0 ? datasetName(name) : null; });
    var idAt = names.indexOf("id");
    return parsed.rows.map(function (item) {
      var data = {};
      item[0].forEach(function (value, index) { if (value !== null && keys[index]) { data[keys[index]] = value; } });
      return { data: data, row: null, id: idAt >= 0 ? item[0][idAt] : null, shown: true, keys: {},
               names: names, values: item[0], cells: item[1], sorts: item[2] };
    });
  }

  function rowHtml(record) {
    var open = "<tr";
    record.values.forEach(function (value, index) {
      if (value !== null) { open += " " + record.names[index] + '="' + escapeAttribute(value) + '"'; }
    });
    return open + ">" + record.cells.map(function (cell) {
      return typeof cell === "string" ? "<td>" + cell + "</td>" : cell[0];
    }).join("") + "</tr>";
  }

  /* What a large table's cell sorts by: its string in sorts, else the content of its plain cell. */
  function dataText(record, index) {
    if (index in record.sorts) { return record.sorts[index]; }
    return typeof record.cells[index] === "string" ? record.cells[index] : "";
  }

  var allRows = new WeakMap();

  function rowsOf(table) {
    var rows = allRows.get(table);
    if (!rows) {
      rows = new Rows(table);
      allRows.set(table, rows);
    }
    return rows;
  }

  Rows.prototype.key = function (record, index, numeric) {
    var name = (numeric ? "n" : "t") + index;
    if (!(name in record.keys)) {
      record.keys[name] = sortKey(this.paged ? dataText(record, index) : cellText(record.row.cells[index]), numeric);
    }
    return record.keys[name];
  };

  /* Sort by one column; unknown values stay last in both directions; ties keep their order. */
  Rows.prototype.sort = function (index, numeric, descending) {
    var self = this;
    var keyed = this.records.map(function (record, position) {
      return { key: self.key(record, index, numeric), position: position, record: record };
    });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return (a.key === null) - (b.key === null) || a.position - b.position;
      }
      var order = numeric ? a.key - b.key : compareText(a.key, b.key);
      return (descending ? -order : order) || a.position - b.position;
    });
    this.records = keyed.map(function (item) { return item.record; });
    if (this.paged) {
      this.turn(0, false);
      return;
    }
    var fragment = document.createDocumentFragment();
    this.records.forEach(function (record) { fragment.appendChild(record.row); });
    this.body.appendChild(fragment);
  };

  /* Keep the records whose data ``keep`` accepts; return how many. A large table shows ``page`` (default: the
     first) of them. */
  Rows.prototype.filter = function (keep, page) {
    var found = 0;
    var paged = this.paged;
    this.records.forEach(function (record) {
      record.shown = keep(record.data);
      if (record.shown) { found += 1; }
      if (!paged) { record.row.hidden = !record.shown; }
    });
    if (paged) {
      this.page = page || 0;
      this.render();
    }
    return found;
  };

  Rows.prototype.shownRecords = function () {
    return this.records.filter(function (record) { return record.shown; });
  };

  /* A large table: the current page of the shown records into the tbody, making the <tr>s it lacks. */
  Rows.prototype.render = function () {
    var shown = this.shownRecords();
    var pages = Math.max(1, Math.ceil(shown.length / this.size));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    var slice = shown.slice(this.page * this.size, (this.page + 1) * this.size);
    var missing = slice.filter(function (record) { return !record.row; });
    if (missing.length) {
      var scratch = document.createElement("tbody");
      scratch.innerHTML = missing.map(rowHtml).join("");
      var made = Array.prototype.slice.call(scratch.rows);
      missing.forEach(function (record, index) { record.row = made[index]; });
    }
    var body = this.body;  /* rows already in place stay, so the browser restyles only what moved */
    slice.forEach(function (record, index) {
      if (body.rows[index] !== record.row) { body.insertBefore(record.row, body.rows[index] || null); }
    });
    while (body.rows.length > slice.length) { body.removeChild(body.rows[slice.length]); }
    if (this.table.hasAttribute("data-emocat-stacked")) { label(this.table, this.body.rows); }
    var first = shown.length ? this.page * this.size + 1 : 0;
    var text = shown.length ? "Rows " + formatCount(first) + "–" + formatCount(first + slice.length - 1) + " of " +
      formatCount(shown.length) : "No rows match";
    var last = pages - 1;
    var page = this.page;
    each(this.pagers, function (pager) {
      pager.querySelector("[data-emocat-range]").textContent = text;
      pager.querySelector("[data-emocat-page=previous]").setAttribute("aria-disabled", String(page === 0));
      pager.querySelector("[data-emocat-page=next]").setAttribute("aria-disabled", String(page === last));
    });
  };

  /* Show page ``page`` (from 0) and write it into the address, as a new step of the history with ``step``;
     the address first, as the filters do (emocat.js). */
  Rows.prototype.turn = function (page, step) {
    var query = new URLSearchParams(window.location.search);
    if (page > 0) { query.set(this.param, String(page + 1)); } else { query.delete(this.param); }
    var search = query.toString();
    var target = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (target !== window.location.pathname + window.location.search + window.location.hash) {
      window.history[step ? "pushState" : "replaceState"](window.history.state, "", target);
    }
    this.page = page;
    this.render();
  };

  Rows.prototype.addressPage = function () {
    var page = parseInt(new URLSearchParams(window.location.search).get(this.param), 10);
    return page > 1 ? page - 1 : 0;
  };

  /* Previous and Next: a button at the end of the table takes the reader to the start of the new page. */
  Rows.prototype.makePagers = function () {
    var self = this;
    each(this.pagers, function (pager, position) {
      pager.hidden = false;
      each(pager.querySelectorAll("button[data-emocat-page]"), function (button) {
        button.addEventListener("click", function () {
          if (button.getAttribute("aria-disabled") === "true") { return; }
          self.turn(self.page + (button.getAttribute("data-emocat-page") === "next" ? 1 : -1), true);
          if (position > 0) {
            self.pagers[0].querySelector('[data-emocat-page="' + button.getAttribute("data-emocat-page") + '"]').focus();
          }
        });
      });
    });
  };

  /* A link to a row of a large table (#row-3) turns to that row's page. */
  Rows.prototype.reveal = function () {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var shown = this.shownRecords();
    for (var index = 0; id && index < shown.length; index += 1) {
      if (shown[index].id === id) {
        this.turn(Math.floor(index / this.size), false);
        shown[index].row.scrollIntoView();
        return;
      }
    }
  };

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-emocat-ready")) { return; }
    var rows = rowsOf(table);
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
        rows.sort(index, th.getAttribute("data-type") === "number", descending);
      });
    });
    table.setAttribute("data-emocat-ready", "");
  }

  /* On a phone each cell is named by its column's header (emocat.css shows it before the cell). */
  function label(table, rows) {
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent.trim(); });
    each(rows, function (row) {
      each(row.cells, function (cell, index) { if (names[index]) { cell.setAttribute("data-label", names[index]); } });
    });
  }

  window.emocat = { naturalKey: naturalKey, rowsOf: rowsOf, makeSortable: makeSortable, label: label };
})();
