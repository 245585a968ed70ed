/* goalkeeper site: dark-mode toggle and client-side search (MiniSearch, loaded on demand).
   Works from file:// as well as from a web server: scripts are loaded with <script> tags. */
(function () {
  "use strict";
  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";

  /* ---------------------------------------------------------------- theme */
  function currentTheme() {
    if (html.dataset.theme) return html.dataset.theme;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      html.dataset.theme = next;
      try { localStorage.setItem("goalkeeper-theme", next); } catch (e) { /* private mode */ }
      toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
    });
  }

  /* ------------------------------------------------------------ navigation */
  /* nav.js holds the navigation once for the whole site (window.goalkeeperNav); its links
     start from the site's root ("./x.html") and are re-rooted for this page. */
  var sidebar = document.getElementById("gk-sidebar");
  var data = window.goalkeeperNav;
  if (sidebar && data && typeof data.html === "string") {
    var tpl = document.createElement("template");
    tpl.innerHTML = data.html;
    Array.prototype.forEach.call(tpl.content.querySelectorAll("a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (href.indexOf("./") === 0) a.setAttribute("href", root + href.slice(2));
    });
    sidebar.textContent = "";
    sidebar.appendChild(tpl.content);
    var here = window.location.href.split("#")[0].split("?")[0].replace(/\/$/, "/index.html");
    var current = null;
    Array.prototype.some.call(sidebar.querySelectorAll("a[href]"), function (a) {
      if (a.href.split("#")[0] === here) { current = a; return true; }
      return false;
    });
    if (current) current.setAttribute("aria-current", "page");
    var setFold = function (li, open) {
      li.classList.toggle("folded", !open);
      var b = li.querySelector(":scope > .nav-row > .nav-fold");
      if (b) b.setAttribute("aria-expanded", open ? "true" : "false");
    };
    Array.prototype.forEach.call(sidebar.querySelectorAll("li.nav-branch"), function (li) {
      var depth = parseInt(li.getAttribute("data-depth") || "0", 10);
      setFold(li, !data.fold || depth < (data.level || 0));
    });
    if (current) {  /* the current page's section, and its own entries, are open */
      for (var li = current.closest("li"); li && sidebar.contains(li); li = li.parentElement.closest("li")) {
        if (li.classList.contains("nav-branch")) setFold(li, true);
      }
    }
    sidebar.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest(".nav-fold") : null;
      if (b) setFold(b.closest("li"), b.getAttribute("aria-expanded") !== "true");
    });
    if (current) {  /* the current page in view in the sidebar (not scrolling the page) */
      var top = current.offsetTop, view = sidebar.clientHeight;
      if (top < sidebar.scrollTop || top > sidebar.scrollTop + view - 40) {
        sidebar.scrollTop = Math.max(0, top - view / 3);
      }
    }
  }

  /* the menu button: the sidebar as a drawer below 900px */
  var menu = document.querySelector("button.menu-button");
  if (menu && sidebar) {
    var setMenu = function (open) {
      html.classList.toggle("menu-open", open);
      menu.setAttribute("aria-expanded", open ? "true" : "false");
    };
    menu.addEventListener("click", function () {
      var open = !html.classList.contains("menu-open");
      setMenu(open);
      if (open) {
        var first = sidebar.querySelector("a[aria-current]") || sidebar.querySelector("a, button");
        if (first) first.focus({ preventScroll: false });
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && html.classList.contains("menu-open")) { setMenu(false); menu.focus(); }
    });
  }

  /* regions that scroll sideways (wide tables, code) can be scrolled from the keyboard */
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap, .document, pre"), function (el) {
    if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
  });

  /* ------------------------------------------------- anchors of raw HTML */
  /* Ids written in a document's HTML are published as `user-content-<id>` (so a document
     cannot clobber this script's globals); a link to `#<id>` still finds them. */
  function followUserContent() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || document.getElementById(id)) return;
    var el = document.getElementById("user-content-" + id);
    if (el) el.scrollIntoView();
  }
  window.addEventListener("hashchange", followUserContent);
  followUserContent();

  /* ---------------------------------------------------------------- charts */
  /* A chart is a <div class="chart" data-chart="{labels, series: [{name, color, values}]}">;
     its numbers are also in a table beside it. Chartist is loaded only where a chart is. */
  var SVG = "http://www.w3.org/2000/svg";

  function legend(series) {
    var ul = document.createElement("ul");
    ul.className = "chart-legend";
    series.forEach(function (s) {
      var li = document.createElement("li");
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "chart-swatch");
      svg.setAttribute("viewBox", "0 0 10 10");
      svg.setAttribute("aria-hidden", "true");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", "10");
      rect.setAttribute("height", "10");
      rect.setAttribute("fill", s.color);
      svg.appendChild(rect);
      li.appendChild(svg);
      li.appendChild(document.createTextNode(" " + s.name));
      ul.appendChild(li);
    });
    return ul;
  }

  function drawChart(el) {
    var data = JSON.parse(el.getAttribute("data-chart"));
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", el.getAttribute("data-title") || "chart");
    el.appendChild(legend(data.series));
    var plot = document.createElement("div");
    plot.className = "chart-plot";
    el.appendChild(plot);
    /* horizontal bars run bottom-up: reverse, so the first label is on top */
    var chart = new window.Chartist.BarChart(plot, {
      labels: data.labels.slice().reverse(),
      series: data.series.map(function (s) { return s.values.slice().reverse(); })
    }, {
      horizontalBars: true,
      stackBars: true,
      height: (28 * Math.max(1, data.labels.length) + 40) + "px",
      chartPadding: { top: 8, right: 16, bottom: 0, left: 8 },
      axisY: { offset: 110, showGrid: false },
      axisX: { onlyInteger: true, labelOffset: { x: -3, y: 4 } }
    });
    chart.on("draw", function (ctx) {
      if (ctx.type === "bar") {
        var s = data.series[ctx.seriesIndex];
        if (s) ctx.element.attr({ stroke: s.color });
      }
    });
  }

  var charts = document.querySelectorAll(".chart[data-chart]");
  if (charts.length) {
    var drawAll = function () { Array.prototype.forEach.call(charts, drawChart); };
    if (typeof window.Chartist === "object") drawAll();
    else loadScript(root + "static/chartist.js").then(drawAll);
  }

  /* ---------------------------------------------------------------- search */
  var engine = null;
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function ready() {
    if (engine) return Promise.resolve(engine);
    if (!loading) {
      loading = Promise.all([
        typeof window.MiniSearch === "function" ? null : loadScript(root + "static/minisearch.js"),
        loadScript(root + "search-index.js")
      ]).then(function () {
        var data = window.goalkeeperSearch;
        var options = {
          fields: data.options.fields,
          storeFields: data.options.storeFields,
          searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3, people: 2, teams: 2 } }
        };
        engine = window.MiniSearch.loadJS(data.index, options);
        return engine;
      });
    }
    return loading;
  }

  function search(query) {
    return ready().then(function (ms) {
      if (!query.trim()) return [];
      return ms.search(query);
    });
  }

  function resultLink(r) {
    var a = document.createElement("a");
    a.href = root + r.url;
    a.className = "result";
    var t = document.createElement("span");
    t.className = "title";
    t.textContent = r.title;
    a.appendChild(t);
    var k = document.createElement("span");
    k.className = "kind";
    k.textContent = r.kind + (r.milestone ? " · " + r.milestone : "");
    a.appendChild(k);
    if (r.summary) {
      var s = document.createElement("span");
      s.className = "summary";
      s.textContent = r.summary;
      a.appendChild(s);
    }
    return a;
  }

  var box = document.querySelector(".search-box .search-input");
  var dropdown = document.querySelector(".search-box .search-results");
  if (box && dropdown) {
    var seq = 0;
    box.addEventListener("focus", function () { ready(); });
    box.addEventListener("input", function () {
      var mine = ++seq;
      var q = box.value;
      search(q).then(function (results) {
        if (mine !== seq) return;
        dropdown.textContent = "";
        results.slice(0, 10).forEach(function (r) { dropdown.appendChild(resultLink(r)); });
        if (results.length > 10) {
          var all = document.createElement("a");
          all.className = "result more";
          all.href = root + "search.html?q=" + encodeURIComponent(q);
          all.textContent = "All " + results.length + " results →";
          dropdown.appendChild(all);
        }
        if (q.trim() && !results.length) {
          var none = document.createElement("div");
          none.className = "summary";
          none.style.padding = "0.45rem 0.7rem";
          none.textContent = "No results";
          dropdown.appendChild(none);
        }
        dropdown.hidden = !q.trim();
      });
    });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { dropdown.hidden = true; box.blur(); }
    });
    document.addEventListener("click", function (e) {
      if (!dropdown.contains(e.target) && e.target !== box) dropdown.hidden = true;
    });
  }

  /* the search page: search.html?q=... */
  var pageInput = document.getElementById("gk-search-page-input");
  var list = document.querySelector(".search-page-results");
  var status = document.querySelector(".search-status");
  if (pageInput && list) {
    var run = function () {
      var q = pageInput.value;
      search(q).then(function (results) {
        list.textContent = "";
        var shown = 0;
        var more = function () {  /* 50 at a time: the count says how many there are */
          results.slice(shown, shown + 50).forEach(function (r) {
            var li = document.createElement("li");
            li.appendChild(resultLink(r));
            list.appendChild(li);
          });
          shown = Math.min(results.length, shown + 50);
          var old = document.querySelector(".search-more");
          if (old) old.remove();
          if (shown < results.length) {
            var b = document.createElement("button");
            b.type = "button";
            b.className = "search-more";
            b.textContent = "Show " + Math.min(50, results.length - shown) + " more of " + results.length;
            b.addEventListener("click", more);
            list.parentNode.insertBefore(b, list.nextSibling);
          }
        };
        more();
        if (status) {
          status.textContent = q.trim()
            ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + q + "”"
            : "Type to search titles, people, teams and text.";
        }
      });
    };
    var params = new URLSearchParams(window.location.search);
    pageInput.value = params.get("q") || "";
    pageInput.addEventListener("input", run);
    run();
  }
})();
