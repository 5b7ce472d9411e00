/* emocat: the site search, over the Pagefind index the build writes to pagefind/ (emocat.outputs.site.search).
   Each form[data-emocat-search] names Pagefind's script; the header's form shows the first results in a panel
   below its field, the search page's form shows them on the page and keeps the query in the address. Pagefind
   loads only the small index chunks and result fragments a query needs, from this site, nothing else. */
(function () {
  "use strict";

  var FILTERS = ["kind", "year", "modality", "topic"];
  var engines = {};

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Pagefind's module, loaded once per bundle when the reader reaches for the field (pointer or focus), not
     with every page: its script, worker and WebAssembly weigh some 160 kB. */
  function engine(form) {
    var bundle = new URL(form.getAttribute("data-emocat-search"), document.baseURI).href;
    if (!engines[bundle]) {
      engines[bundle] = import(bundle).then(function (pagefind) {
        /* result addresses are relative to the site's root, the folder above pagefind/ */
        return Promise.resolve(pagefind.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 24 }))
          .then(function () { return pagefind.init(); })
          .then(function () { return pagefind; });
      });
    }
    return engines[bundle];
  }

  function chosenFilters(form) {
    var chosen = {};
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { chosen[name] = field.value; }
    });
    return chosen;
  }

  /* Pagefind's excerpt, with only its <mark> elements kept: any other markup in it is shown as the text it is. */
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "emocat-search__excerpt";
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    each(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function resultItem(record) {
    var item = document.createElement("li");
    item.className = "emocat-search__result";
    var link = document.createElement("a");
    link.href = record.url;
    link.textContent = (record.meta && record.meta.title) || record.url;
    item.appendChild(link);
    var kind = record.filters && record.filters.kind && record.filters.kind[0];
    if (kind) {
      var badge = document.createElement("span");
      badge.className = "emocat-search__kind";
      badge.textContent = kind;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge);
    }
    item.appendChild(excerpt(record.excerpt || ""));
    return item;
  }

  function Search(form) {
    this.form = form;
    this.query = form.elements.q;
    this.status = form.querySelector(".emocat-search__status");
    this.list = form.querySelector(".emocat-search__results");
    this.more = form.querySelector(".emocat-search__more");
    this.panel = form.querySelector(".emocat-search__panel");
    this.limit = parseInt(form.getAttribute("data-emocat-limit"), 10) || 10;
    this.ticket = 0;  /* the number of the newest query */
    this.shown = 0;  /* the number of the query whose results are shown */
    this.busy = false;  /* a search is running */
    this.found = [];
    this.words = "";
  }

  /* Search for what the form holds. One search runs at a time: keys typed meanwhile only change the query,
     and when the search ends the newest query is searched (Pagefind ranks every page that matches, which
     for a word on most pages of a large site takes a good part of a second; queued searches for every
     prefix typed would add up). Results show as soon as an answer arrives, even while the reader types on. */
  Search.prototype.run = function () {
    var self = this, words = this.query.value.trim(), ticket = ++this.ticket;
    if (!words) {
      this.shown = ticket;
      this.found = [];
      this.words = "";
      this.show([], 0);
      this.close();
      return;
    }
    this.open();
    if (this.busy) { return; }
    this.busy = true;
    var filters = chosenFilters(this.form);
    engine(this.form).then(function (pagefind) { return pagefind.search(words, { filters: filters }); })
      .then(function (answer) {
        if (!answer || ticket < self.shown) { return; }
        return self.fetch(answer.results, 0).then(function (records) {
          if (ticket < self.shown) { return; }
          self.shown = ticket;
          self.found = answer.results;
          self.words = words;
          self.show(records, 0);
        });
      })
      .catch(function (error) { self.status.textContent = "The search could not load (" + error.message + ")."; })
      .then(function () {
        self.busy = false;
        if (self.ticket !== ticket) { self.run(); }
      });
  };

  /* The records of ``limit`` results from ``start`` on (Pagefind fetches a small fragment file for each). */
  Search.prototype.fetch = function (results, start) {
    return Promise.all(results.slice(start, start + this.limit).map(function (result) { return result.data(); }));
  };

  /* The next ``limit`` results of the query shown, below those already there. */
  Search.prototype.showMore = function () {
    var self = this, shown = this.shown, start = this.list.children.length;
    return this.fetch(this.found, start).then(function (records) {
      if (self.shown !== shown) { return; }
      self.show(records, start);
      var next = self.list.children[start];
      if (next) { next.querySelector("a").focus(); }
    });
  };

  Search.prototype.show = function (records, start) {
    var self = this, words = this.words, total = this.found.length;
    var focused = start === 0 && this.list.contains(document.activeElement);
    if (start === 0) { this.list.textContent = ""; }
    records.forEach(function (record) { self.list.appendChild(resultItem(record)); });
    if (focused) { (this.list.querySelector("a") || this.query).focus(); }  /* newer results replaced it */
    if (!words) {
      this.status.textContent = "";
    } else if (total === 0) {
      this.status.textContent = "No result for \u201c" + words + "\u201d.";
    } else {
      this.status.textContent = (total === 1 ? "1 result" : total + " results") + " for \u201c" + words + "\u201d" +
        (this.list.children.length < total ? ", " + this.list.children.length + " shown." : ".");
    }
    if (this.more) { this.more.hidden = !words || this.list.children.length >= total; }
  };

  Search.prototype.open = function () { if (this.panel) { this.panel.hidden = false; } };

  Search.prototype.close = function () { if (this.panel) { this.panel.hidden = true; } };

  /* Arrow keys move between the field and the result links; Escape closes the panel. */
  Search.prototype.onKey = function (event) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape" && this.panel && !this.panel.hidden) {
      event.preventDefault();
      this.query.focus();  /* first: the field's focus handler would open the panel again */
      this.close();
    } else if (event.key === "ArrowDown" && (event.target === this.query || at >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? this.query : links[at - 1]).focus();
    }
  };

  /* The header's field: results in the panel while it has the focus; Enter opens the search page. */
  function makePanel(search) {
    var form = search.form;
    form.addEventListener("pointerenter", function () { engine(form); });  /* a head start for the mouse */
    search.query.addEventListener("focus", function () {
      engine(form);
      if (search.query.value.trim()) { search.open(); }
    });
    form.addEventListener("input", function () { search.run(); });
    form.addEventListener("keydown", function (event) { search.onKey(event); });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) { search.close(); }
    });
    document.addEventListener("pointerdown", function (event) {
      if (!form.contains(event.target)) { search.close(); }
    });
    var more = search.more && search.more.querySelector("a");
    if (more) {
      form.addEventListener("input", function () { more.href = form.action + "?" + address(form); });
    }
  }

  function address(form) {
    var params = new URLSearchParams();
    var words = form.elements.q.value.trim();
    if (words) { params.set("q", words); }
    var filters = chosenFilters(form);
    FILTERS.forEach(function (name) { if (filters[name]) { params.set(name, filters[name]); } });
    return params.toString();
  }

  /* The search page: fields read from and written to the address, so that a search can be linked. */
  function makePage(search) {
    var form = search.form, params = new URLSearchParams(window.location.search);
    ["q"].concat(FILTERS).forEach(function (name) {
      if (form.elements[name] && params.get(name)) { form.elements[name].value = params.get(name); }
    });
    function update() {
      var query = address(form);
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      search.run();
    }
    form.addEventListener("input", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.addEventListener("keydown", function (event) { search.onKey(event); });
    var more = search.more && search.more.querySelector("button");
    if (more) { more.addEventListener("click", function () { search.showMore(); }); }
    if (search.query.value.trim()) { search.run(); }
  }

  /* "/" anywhere outside a field goes to the search field, as in the theme's own search. */
  function focusShortcut(field) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        field.focus();
      }
    }, true);
  }

  function init() {
    each(document.querySelectorAll("form[data-emocat-search]"), function (form) {
      if (form.hasAttribute("data-emocat-ready")) { return; }
      form.setAttribute("data-emocat-ready", "");
      var search = new Search(form);
      if (search.panel) {
        makePanel(search);
        focusShortcut(search.query);
      } else {
        makePage(search);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
