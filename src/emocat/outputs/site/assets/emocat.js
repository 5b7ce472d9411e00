/* emocat: the papers, leaderboard and results filters, citation buttons and the tables' layout, over the table
   model of emocat-tables.js (window.emocat). No dependencies; every page reads fine without it. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function rowsOf(table) { return window.emocat.rowsOf(table); }

  function isTyped(field) { return Boolean(field) && (field.type === "search" || field.type === "number"); }

  function contains(list, value) { return (" " + list + " ").indexOf(" " + value + " ") >= 0; }

  /* Filter parameters in the address are the form's field names (modality, topic, from, to, venue, words);
     the search page (search.js) reads its own (q, kind...) on that page only. */
  function readAddress(fields) {
    var params = new URLSearchParams(window.location.search);
    each(fields, function (field) {
      if (field.name) { field.value = params.get(field.name) || ""; }
    });
  }

  /* The papers filter: modality, topic, year range, venue and free text, kept in the address. A change of
     one field is one step of the browser's history; typing in a text field replaces its own step. */
  function makeFilter(form) {
    var id = form.getAttribute("data-emocat-filter");
    var table = document.getElementById(id);
    var count = document.querySelector('[data-emocat-count="' + id + '"]');
    if (!table || !table.tBodies.length || form.hasAttribute("data-emocat-ready")) { return; }
    form.setAttribute("data-emocat-ready", "");
    var rows = rowsOf(table);
    rows.filtered = true;
    var fields = form.elements;
    var lastField = null;
    readAddress(fields);

    /* Generic form (data-emocat-match="fields"): each named field keeps rows whose data attribute of the same
       name equals its value (or, with data-match="token", holds it as one of its words); "words" searches
       data-text. */
    function matchFields(data) {
      return Array.prototype.every.call(fields, function (field) {
        if (!field.name || !field.value) { return true; }
        if (field.name === "words") {
          return field.value.toLowerCase().split(/\s+/).filter(Boolean).every(function (word) {
            return (data.text || "").indexOf(word) >= 0;
          });
        }
        var have = data[field.name] || "";
        return field.getAttribute("data-match") === "token" ? contains(have, field.value) : have === field.value;
      });
    }

    function matchPapers() {
      var modality = fields.modality.value;
      var topic = fields.topic.value;
      var from = parseInt(fields.from.value, 10);
      var to = parseInt(fields.to.value, 10);
      var venue = fields.venue.value;
      var words = fields.words.value.toLowerCase().split(/\s+/).filter(Boolean);
      return function (data) {
        var year = parseInt(data.year, 10);
        return (!modality || contains(data.modalities, modality)) &&
          (!topic || contains(data.topics, topic)) &&
          (isNaN(from) || year >= from) &&
          (isNaN(to) || year <= to) &&
          (!venue || data.venue === venue) &&
          words.every(function (word) { return data.text.indexOf(word) >= 0; });
      };
    }

    function filterRows(page) {
      var keep = form.getAttribute("data-emocat-match") === "fields" ? matchFields : matchPapers();
      var shown = rows.filter(keep, page);
      if (count) { count.textContent = String(shown); }
    }

    function address() {
      var query = new URLSearchParams();
      each(fields, function (field) { if (field.name && field.value) { query.set(field.name, field.value); } });
      var search = query.toString();
      return window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    }

    /* The address is written before the rows change: written after, it would lay the page out once more
       before the next frame (the browser saves the scroll position with the step of the history). */
    function changed(event) {
      var target = address();
      var typing = Boolean(event && event.type === "input" && isTyped(event.target));
      if (target !== window.location.pathname + window.location.search + window.location.hash) {
        if (typing && lastField === event.target) {
          window.history.replaceState({ emocat: id }, "", target);
        } else {
          window.history.pushState({ emocat: id }, "", target);
        }
        lastField = typing ? event.target : null;
      }
      filterRows(0);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", function (event) {
      if (isTyped(event.target)) { lastField = null; } else { changed(event); }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(function () { changed(null); }, 0); });
    window.addEventListener("popstate", function () {
      readAddress(fields);
      lastField = null;
      filterRows(rows.paged ? rows.addressPage() : 0);
    });
    form.hidden = false;
    filterRows(rows.paged ? rows.addressPage() : 0);
  }

  /* Save text as a file, named by the button's data-filename. */
  function download(text, name, type) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  function announce(button, message) {
    var status = button.parentNode.querySelector("[role=status]");
    if (status) { status.textContent = message; }
  }

  /* Copy and download buttons of a paper's citations: each names the <pre> whose text it takes. */
  function makeCitationButton(button) {
    var source = document.getElementById(button.getAttribute("data-emocat-source"));
    if (!source || button.hasAttribute("data-emocat-ready")) { return; }
    button.setAttribute("data-emocat-ready", "");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent;
      if (button.getAttribute("data-emocat-action") === "copy") {
        navigator.clipboard.writeText(text).then(function () { announce(button, "Copied."); },
          function () { announce(button, "Copying failed; select the text instead."); });
      } else {
        download(text, button.getAttribute("data-filename"), button.getAttribute("data-type") || "text/plain");
      }
    });
  }

  /* catalog.bib as {key: entry}: its entries are separated by blank lines and start with @type{key, */
  function bibEntries(text) {
    var found = {};
    text.split(/\n\s*\n(?=@)/).forEach(function (block) {
      var match = /^\s*@[A-Za-z]+\{([^,\s]+),/.exec(block);
      if (match) { found[match[1]] = block.trim() + "\n"; }
    });
    return found;
  }

  /* The papers table's BibTeX export: the entries of catalog.bib for the rows the filter shows, in their order
     (of a large table, every page of them). */
  function makeBibtexExport(button) {
    var table = document.getElementById(button.getAttribute("data-emocat-export"));
    if (!table || !table.tBodies.length || button.hasAttribute("data-emocat-ready")) { return; }
    button.setAttribute("data-emocat-ready", "");
    button.hidden = false;
    var entries = null;
    button.addEventListener("click", function () {
      var ready = entries ? Promise.resolve(entries) : fetch(button.getAttribute("data-bibtex")).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (text) { entries = bibEntries(text); return entries; });
      ready.then(function (byKey) {
        var blocks = [];
        rowsOf(table).shownRecords().forEach(function (record) {
          var key = record.data.bibkey;
          if (key && byKey[key]) { blocks.push(byKey[key]); }
        });
        download(blocks.join("\n"), button.getAttribute("data-filename"), "application/x-bibtex");
        announce(button, blocks.length + (blocks.length === 1 ? " entry" : " entries") + " saved.");
      }, function () { announce(button, "The BibTeX file could not be loaded."); });
    });
  }

  /* On a phone the catalog's tables become cards (emocat.css); each cell is named by its column's header, and
     a large table names the cells of each page it shows (Rows.render). */
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 44.9375em)") : null;

  function stack(table) {
    if (table.hasAttribute("data-emocat-stacked") || !table.tHead) { return; }
    window.emocat.label(table, table.tBodies[0] ? table.tBodies[0].rows : []);
    table.setAttribute("data-emocat-stacked", "");
  }

  /* A table that still needs sideways scrolling gets a visible cue: edge shadows and a line above it. */
  function markScrolling() {
    each(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      var hasHint = hint && hint.classList.contains("emocat-scroll-hint");
      if (scrolls && !wrap.hasAttribute("data-emocat-scrolls")) {
        wrap.setAttribute("data-emocat-scrolls", "");
        if (!hasHint) {
          hint = document.createElement("p");
          hint.className = "emocat-scroll-hint";
          hint.textContent = "This table is wider than the page: scroll it sideways to see every column.";
          wrap.parentNode.insertBefore(hint, wrap);
        }
      } else if (!scrolls && wrap.hasAttribute("data-emocat-scrolls")) {
        wrap.removeAttribute("data-emocat-scrolls");
        if (hasHint) { hint.remove(); }
      }
    });
  }

  function layout() {
    if (narrow && narrow.matches) {
      each(document.querySelectorAll("table[data-emocat-sortable]"), stack);
    }
    markScrolling();
  }

  function init() {
    each(document.querySelectorAll("table[data-emocat-sortable]"), window.emocat.makeSortable);
    each(document.querySelectorAll("form[data-emocat-filter]"), makeFilter);
    each(document.querySelectorAll("button[data-emocat-source]"), makeCitationButton);
    each(document.querySelectorAll("button[data-emocat-export]"), makeBibtexExport);
    each(document.querySelectorAll("table[data-emocat-rows][data-emocat-ready]"), function (table) { rowsOf(table).reveal(); });
    layout();
    window.requestAnimationFrame(layout);  /* after the theme has wrapped the tables */
  }

  window.addEventListener("resize", layout);
  window.addEventListener("load", layout);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
