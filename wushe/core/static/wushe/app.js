/* wushe — behaviour for the server-rendered pages. No inline scripts: pages hand data over with
 * Django's json_script and mark the elements this file enhances with data-* attributes. Every
 * page works without this file; it only adds charts and small conveniences. */
(function () {
  "use strict";

  var COLOURS = {
    red: "#b3261e",
    blue: "#0a58ca",
    green: "#146c43",
    yellow: "#ffc107",
    default: "#8a1c1c"
  };

  function readSpec(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return null; }
    try { return JSON.parse(source.textContent); } catch (e) { return null; }
  }

  function colourOf(key) { return COLOURS[key] || COLOURS["default"]; }

  // wall: the 数据大屏's type, read across a room (the chart fills the box the page gives it)
  function optionFor(spec, wall) {
    var items = spec.items || [];
    var text = wall ? Math.max(12, Math.round(window.innerHeight / 54)) : 12;
    var common = {
      aria: { enabled: true, decal: { show: true } },
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", confine: true },
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      textStyle: {
        fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
        fontSize: text
      }
    };
    if (spec.kind === "line") {
      common.grid = { left: 8, right: 24, top: 24, bottom: 8, containLabel: true };
      common.xAxis = { type: "category", data: items.map(function (it) { return it.label; }) };
      common.yAxis = { type: "value", minInterval: 1 };
      common.series = [{
        type: "line",
        name: spec.series || "",
        symbolSize: 8,
        label: { show: true, position: "top", fontSize: text },
        itemStyle: { color: colourOf("default") },
        data: items.map(function (it) { return it.value; })
      }];
      return common;
    }
    if (spec.kind === "pie") {
      // no legend: each slice is labelled with its name in words, and a table follows the chart
      common.series = [{
        type: "pie",
        name: spec.series || "",
        radius: wall ? ["30%", "58%"] : ["35%", "65%"],
        center: ["50%", "50%"],
        label: { formatter: "{b}\n{c}", fontSize: text },
        data: items.map(function (it) {
          return { name: it.label, value: it.value, itemStyle: { color: colourOf(it.colour) } };
        })
      }];
      return common;
    }
    var horizontal = items.length > 8;
    var categoryAxis = {
      type: "category",
      data: items.map(function (it) { return it.label; }),
      axisLabel: {
        interval: 0,
        hideOverlap: true,
        width: wall ? 170 : 96,
        overflow: "truncate",
        fontSize: wall && items.length > 8 ? Math.round(text * 0.75) : text
      }
    };
    var valueAxis = { type: "value", minInterval: 1, axisLabel: { fontSize: wall ? Math.round(text * 0.8) : 12 } };
    common.grid = { left: wall ? 16 : 8, right: wall ? 40 : 24, top: 24, bottom: 8, containLabel: true };
    common.xAxis = horizontal ? valueAxis : categoryAxis;
    common.yAxis = horizontal ? Object.assign({}, categoryAxis, { inverse: true }) : valueAxis;
    common.series = [{
      type: "bar",
      name: spec.series || "",
      // on the wall, a long list of bars labels only the bars that have a value
      label: {
        show: true,
        position: horizontal ? "right" : "top",
        fontSize: text,
        formatter: wall && horizontal ? function (p) { return p.value ? String(p.value) : ""; } : "{c}"
      },
      data: items.map(function (it) {
        return { value: it.value, itemStyle: { color: colourOf(it.colour) } };
      })
    }];
    return common;
  }

  var charts = [];

  function renderCharts(root) {
    if (typeof window.echarts === "undefined") { return; }
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-chart-ready")) { return; }
      var spec = readSpec(el);
      if (!spec) { return; }
      var wall = el.getAttribute("data-chart-size") === "wall";
      if (!wall && spec.kind !== "pie" && (spec.items || []).length > 8) {
        // horizontal bars: give each bar room (CSSOM, allowed by the Content-Security-Policy)
        el.style.height = Math.max(320, spec.items.length * 26 + 48) + "px";
      }
      var theme = el.getAttribute("data-chart-theme") === "dark" ? "dark" : null;
      var chart = window.echarts.init(el, theme, { renderer: "canvas" });
      var option = optionFor(spec, wall);
      if (theme) { option.backgroundColor = "transparent"; }
      chart.setOption(option);
      chart.wusheSpec = spec;
      chart.wusheWall = wall;
      // a segment opens the records behind it (the table under the chart has the same links)
      chart.on("click", function (params) {
        var item = (spec.items || [])[params.dataIndex];
        if (item && item.url) { window.location.assign(item.url); }
      });
      el.setAttribute("data-chart-ready", "1");
      charts.push(chart);
    });
  }

  function bindConfirms(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.getAttribute("data-confirm-bound")) { return; }
      form.setAttribute("data-confirm-bound", "1");
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  // Tables on a phone (app.css stacks a .table-stack's rows as cards under 576 px): label every
  // cell with the header of its column (colspans counted) and give the parts their ARIA roles,
  // which a table displayed as blocks loses in some browsers.
  function headerLabels(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var labels = [];
    if (!head) { return labels; }
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(th.textContent.replace(/\s+/g, " ").trim()); }
    });
    return labels;
  }

  function stackTables(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var tables = scope.querySelectorAll(".table-responsive > table");
    if (root && root.matches && root.matches(".table-responsive > table")) { tables = [root]; }
    Array.prototype.forEach.call(tables, function (table) {
      var labels = headerLabels(table);
      if (!labels.length) { return; }
      table.setAttribute("role", "table");
      Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
        group.setAttribute("role", "rowgroup");
      });
      Array.prototype.forEach.call(table.rows, function (tr) {
        tr.setAttribute("role", "row");
        var column = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          var inHead = tr.parentNode === table.tHead;
          if (cell.tagName === "TH") {
            cell.setAttribute("role", inHead || cell.getAttribute("scope") === "col" ? "columnheader" : "rowheader");
          } else {
            cell.setAttribute("role", "cell");
          }
          var label = labels[column];
          if (!inHead && label && (cell.colSpan || 1) === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
      table.classList.add("table-stack");
    });
  }

  function enhance(root) {
    stackTables(root);
    renderCharts(root);
    bindConfirms(root);
  }

  // A form that came back with errors: focus its summary (role=alert) so it is read out first.
  // Again after "load": a #fragment left in the address (the skip link's #main, kept by the form's
  // POST) would otherwise move the focus there once the page has loaded.
  function focusErrorSummary() {
    var summary = document.getElementById("form-errors");
    if (summary && document.activeElement !== summary) { summary.focus(); }
  }

  // 数据大屏 on the office wall (reports.screen): fetch the figures of its region and period from
  // /api/v1/stats every data-refresh-seconds and put them in place (the numbers, the charts'
  // segments), without reloading the page; reload it when the day changes, so that a period
  // running to today moves on, and when the session has ended (the sign-in page shows).
  function figureText(value, rate) {
    if (value === null || value === undefined) { return "—"; }
    return rate ? Number(value).toFixed(1) + "%" : String(value);
  }

  function applyFigures(metrics) {
    document.querySelectorAll("[data-metric-value]").forEach(function (el) {
      var key = el.getAttribute("data-metric-value");
      if (Object.prototype.hasOwnProperty.call(metrics, key)) {
        el.textContent = figureText(metrics[key], el.getAttribute("data-rate") === "1");
      }
    });
    charts.forEach(function (chart) {
      var spec = chart.wusheSpec;
      if (!spec) { return; }
      (spec.items || []).forEach(function (item) {
        if (Object.prototype.hasOwnProperty.call(metrics, item.key)) { item.value = metrics[item.key] || 0; }
      });
      chart.setOption({ series: optionFor(spec, chart.wusheWall).series });
    });
  }

  function stamp(el, ok) {
    var now = new Date();
    var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
    if (ok) {
      el.setAttribute("data-updated-at", time);
      el.textContent = el.getAttribute("data-updated-text").replace("%(time)s", time);
    } else {
      var last = el.getAttribute("data-updated-at") || "";
      el.textContent = el.getAttribute("data-failed-text").replace("%(time)s", last);
    }
  }

  function scheduleRefresh() {
    var wall = document.querySelector("[data-stats-url]");
    var seconds = wall ? parseInt(wall.getAttribute("data-refresh-seconds"), 10) : 0;
    if (!(seconds > 0) || typeof window.fetch !== "function") { return; }
    var url = wall.getAttribute("data-stats-url");
    var stampEl = wall.querySelector("[data-updated]");
    var day = new Date().toDateString();
    if (stampEl) {
      var first = new Date();
      stampEl.setAttribute("data-updated-at", ("0" + first.getHours()).slice(-2) + ":" + ("0" + first.getMinutes()).slice(-2));
    }
    window.setInterval(function () {
      if (new Date().toDateString() !== day) { window.location.reload(); return; }
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 401) { window.location.reload(); }
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          applyFigures(data.metrics || {});
          if (stampEl) { stamp(stampEl, true); }
        })
        .catch(function () { if (stampEl) { stamp(stampEl, false); } });
    }, seconds * 1000);
  }

  // The logout leaves nothing in the browser: the offline visits' queue (IndexedDB), the kept
  // pages and data (Cache Storage) and the service worker go (the response's Clear-Site-Data
  // header says the same to browsers that honour it). Records still waiting are named first.
  function clearOfflineThenLogOut(form) {
    var pending = 0;
    try { pending = parseInt(window.localStorage.getItem("wushe-offline-pending") || "0", 10) || 0; } catch (e) { pending = 0; }
    if (pending > 0 && !window.confirm(form.getAttribute("data-pending-warning").replace("%(n)s", String(pending)))) {
      return;
    }
    var work = [];
    try { window.localStorage.removeItem("wushe-offline-pending"); } catch (e) { /* private mode */ }
    if (window.indexedDB) {
      work.push(new Promise(function (resolve) {
        var req = window.indexedDB.deleteDatabase("wushe-offline");
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      }));
    }
    if (window.caches) {
      work.push(window.caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("wushe-offline-") === 0; })
          .map(function (n) { return window.caches["delete"](n); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
        return Promise.all(regs.map(function (r) { return r.unregister(); }));
      }));
    }
    var done = false;
    function submit() { if (!done) { done = true; form.submit(); } }
    Promise.all(work).then(submit, submit);
    window.setTimeout(submit, 2000);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.hasAttribute && form.hasAttribute("data-logout")) {
      event.preventDefault();
      clearOfflineThenLogOut(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    focusErrorSummary();
    scheduleRefresh();
  });
  window.addEventListener("load", function () {
    if (window.location.hash) { window.setTimeout(focusErrorSummary, 0); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target);
    // move keyboard and screen-reader focus to refreshed results
    var focusTarget = event.target.querySelector && event.target.querySelector("[data-focus-after-swap]");
    if (focusTarget) { focusTarget.focus(); }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
