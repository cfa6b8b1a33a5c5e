// The analytics page: builds pivots, the overview and trends from the
// analytics API and draws them with ECharts. It writes text only through
// textContent, never HTML, and ECharts' tooltips render as rich text on the
// canvas, so the page keeps the strict Content-Security-Policy (no inline
// scripts or styles).
"use strict";

(function () {
  var root = document.getElementById("analytics");
  if (!root || typeof echarts === "undefined") { return; }
  var msg = root.dataset;
  var charts = {};

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" }); }
    return charts[id];
  }
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });

  function label(h) {
    if (h.key === "" && h.label === "") { return msg.unknown; }
    if (h.key === "yes" && h.label === "是" && msg.lang === "en") { return msg.yes; }
    return h.label;
  }

  function get(path, params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { q.set(k, params[k]); } });
    return fetch(path + "?" + q.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error((body.error && body.error.message) || r.statusText); }
          return body;
        });
      });
  }

  function fmt(v) {
    if (v === null || v === undefined) { return "–"; }
    return Number.isInteger(v) ? String(v) : v.toFixed(2);
  }

  function showError(e) {
    var el = document.getElementById("pivot-error");
    el.textContent = e ? e.message : "";
    el.hidden = !e;
  }

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  // renderTable lays the pivot out with row and column totals.
  function renderTable(t) {
    var table = document.getElementById("pivot-table");
    table.replaceChildren();
    var multi = t.cols.length > 1 || t.cols[0].key !== "" || t.cols[0].label !== "";
    var head = document.createElement("tr");
    head.appendChild(cell("th", ""));
    if (multi) { t.cols.forEach(function (c) { head.appendChild(cell("th", label(c))); }); }
    head.appendChild(cell("th", msg.total + " (" + t.measure + ")"));
    var thead = document.createElement("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = document.createElement("tbody");
    t.rows.forEach(function (r, i) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("td", label(r)));
      if (multi) { t.cells[i].forEach(function (v) { tr.appendChild(cell("td", fmt(v))); }); }
      tr.appendChild(cell("td", fmt(t.row_totals[i])));
      body.appendChild(tr);
    });
    var tot = document.createElement("tr");
    tot.className = "total";
    tot.appendChild(cell("td", msg.total));
    if (multi) { t.col_totals.forEach(function (v) { tot.appendChild(cell("td", fmt(v))); }); }
    tot.appendChild(cell("td", fmt(t.total)));
    body.appendChild(tot);
    table.appendChild(body);
  }

  // renderChart draws the pivot: one series per column (stacked bars or
  // lines), or the row totals as a pie.
  function renderChart(t, type) {
    var rows = t.rows.map(label);
    var multi = t.cols.length > 1 || t.cols[0].key !== "" || t.cols[0].label !== "";
    var opt = { tooltip: { trigger: type === "pie" ? "item" : "axis", renderMode: "richText" }, legend: { type: "scroll", top: 0 }, animation: false };
    if (type === "pie") {
      opt.series = [{ type: "pie", radius: "60%", data: t.rows.map(function (r, i) { return { name: label(r), value: t.row_totals[i] }; }) }];
    } else {
      opt.xAxis = { type: "category", data: rows, axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0 } };
      opt.yAxis = { type: "value" };
      opt.grid = { containLabel: true, left: 8, right: 8, bottom: 8, top: 40 };
      opt.series = multi ? t.cols.map(function (c, j) {
        return { name: label(c), type: type, stack: type === "bar" ? "all" : undefined, data: t.cells.map(function (row) { return row[j]; }) };
      }) : [{ name: msg.total, type: type, data: t.row_totals }];
    }
    chart("pivot-chart").setOption(opt, true);
  }

  var form = document.getElementById("pivot-form");
  // xlsxLink points a download link at the workbook of the same query.
  function xlsxLink(id, path, params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) { if (params[k]) { q.set(k, params[k]); } });
    var a = document.getElementById(id);
    a.href = path + "?" + q.toString();
    a.hidden = false;
  }
  // data-ready tells tests (and nothing else) that a pivot is drawn.
  function runPivot(params) {
    showError(null);
    root.dataset.ready = "";
    return get("/api/v1/analytics/pivot", params).then(function (t) {
      renderTable(t);
      renderChart(t, form.chart.value);
      params.chart = form.chart.value;
      xlsxLink("pivot-xlsx", "/analytics/pivot.xlsx", params);
      xlsxLink("segment-report", "/analytics/segment-report", { filter: params.filter, segment: params.segment, lang: params.lang });
      root.dataset.ready = "pivot";
    }).catch(showError);
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    runPivot({ rows: form.rows.value, cols: form.cols.value, measure: form.measure.value, filter: form.filter.value,
      segment: form.segment ? form.segment.value : "", lang: msg.lang });
  });
  document.querySelectorAll("button.report").forEach(function (b) {
    b.addEventListener("click", function () {
      runPivot({ report: b.dataset.report, filter: form.filter.value, segment: form.segment ? form.segment.value : "", lang: msg.lang });
    });
  });

  function runOverview() {
    return get("/api/v1/analytics/overview", { lang: msg.lang }).then(function (ov) {
      document.getElementById("overview-stats").textContent = msg.customers + ": " + ov.customers +
        " · " + msg.hhi + ": " + Math.round(ov.region_hhi) + " · " + msg.top3 + ": " + ov.top3_region_share.toFixed(1) + "%";
      chart("chart-industry").setOption({
        tooltip: { trigger: "item", renderMode: "richText" }, animation: false,
        series: [{ type: "pie", radius: "60%", data: ov.industries.map(function (s) { return { name: label(s), value: s.count }; }) }]
      }, true);
      chart("chart-funnel").setOption({
        tooltip: { trigger: "item", renderMode: "richText" }, animation: false,
        series: [{ type: "funnel", sort: "none", data: ov.funnel.map(function (s) { return { name: label(s), value: s.count }; }) }]
      }, true);
      // Provinces by size: the regional concentration behind the HHI.
      var regions = ov.regions.filter(function (s) { return s.key !== ""; }).slice(0, 20);
      chart("chart-region").setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, animation: false,
        grid: { containLabel: true, left: 8, right: 8, bottom: 8, top: 16 },
        xAxis: { type: "category", data: regions.map(label), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value" },
        series: [{ type: "bar", data: regions.map(function (s) { return s.count; }) }]
      }, true);
      drawMap(ov.regions);
    }).catch(showError);
  }

  // provinceName turns a stored province ("广西壮族自治区", "上海市") into
  // the map's short name ("广西", "上海").
  function provinceName(p) {
    return p.replace(/(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|省|市)$/, "");
  }

  // drawMap colours each province by its number of customers, when the map
  // of China is registered (china-map.js).
  function drawMap(regions) {
    if (!echarts.getMap || !echarts.getMap("china")) { return; }
    var data = regions.filter(function (s) { return s.key !== ""; })
      .map(function (s) { return { name: provinceName(s.key), value: s.count }; });
    var top = data.reduce(function (m, d) { return Math.max(m, d.value); }, 1);
    chart("chart-map").setOption({
      tooltip: { trigger: "item", renderMode: "richText" }, animation: false,
      visualMap: { min: 0, max: top, left: 8, bottom: 8, calculable: true, inRange: { color: ["#e0e7ff", "#1d4ed8"] } },
      series: [{ type: "map", map: "china", roam: false, data: data }]
    }, true);
    root.dataset.map = String(data.length);
  }

  // A trend's series: the records' own (a need's type, an interaction's
  // channel) by default, one line for all ("-"), an interaction's feedback
  // or any customer field; counted or as shares, of a segment if asked.
  var trendForm = document.getElementById("trend-form");
  function trendError(e) {
    var el = document.getElementById("trend-error");
    el.textContent = e ? e.message : "";
    el.hidden = !e;
  }
  function syncTrendBy() {
    var needs = trendForm.source.value === "needs";
    Array.prototype.forEach.call(trendForm.by.options, function (o) {
      o.disabled = needs && o.dataset.source === "interactions";
    });
    if (trendForm.by.selectedOptions[0] && trendForm.by.selectedOptions[0].disabled) { trendForm.by.value = ""; }
  }
  trendForm.source.addEventListener("change", syncTrendBy);
  function runTrend() {
    var by = trendForm.by.value;
    if (by === "") { by = trendForm.source.value === "needs" ? "type" : "channel"; }
    if (by === "-") { by = ""; }
    var params = { source: trendForm.source.value, period: trendForm.period.value, by: by,
      measure: trendForm.measure.value, filter: trendForm.filter.value.trim(), lang: msg.lang };
    // Its own flag, not data-ready: the trend drawn on load may finish
    // after a pivot the user has run.
    root.dataset.trendReady = "";
    trendError(null);
    return get("/api/v1/analytics/trend", params).then(function (tr) {
      root.dataset.trendReady = String((tr.series || []).length);
      xlsxLink("trend-xlsx", "/analytics/trend.xlsx", params);
      chart("chart-trend").setOption({
        tooltip: { trigger: "axis", renderMode: "richText" }, legend: { type: "scroll", top: 0 }, animation: false,
        grid: { containLabel: true, left: 8, right: 8, bottom: 8, top: 40 },
        xAxis: { type: "category", data: tr.periods || [] }, yAxis: { type: "value" },
        series: (tr.series || []).map(function (s) { return { name: label(s), type: "line", data: s.values }; })
      }, true);
      var ul = document.getElementById("trend-changes");
      ul.replaceChildren();
      (tr.series || []).forEach(function (s) {
        if (s.change === null) { return; }
        ul.appendChild(cell("li", label(s) + ": " + (s.change >= 0 ? "+" : "") + s.change.toFixed(1) + "% (" + s.last + " / " + s.before + ")"));
      });
    }).catch(trendError);
  }
  trendForm.addEventListener("submit", function (e) { e.preventDefault(); runTrend(); });

  // The relation of a feature with a need: counts with their lift, and the
  // chi-square test in one line.
  var relForm = document.getElementById("relation-form");
  relForm.addEventListener("submit", function (e) {
    e.preventDefault();
    showError(null);
    root.dataset.ready = "";
    get("/api/v1/analytics/relation", { rows: relForm.rows.value, cols: relForm.cols.value, lang: msg.lang }).then(function (rel) {
      var table = document.getElementById("relation-table");
      table.replaceChildren();
      var head = document.createElement("tr");
      head.appendChild(cell("th", ""));
      (rel.cols || []).forEach(function (c) { head.appendChild(cell("th", label(c))); });
      table.appendChild(head);
      (rel.rows || []).forEach(function (r, i) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("td", label(r)));
        rel.observed[i].forEach(function (n, j) { tr.appendChild(cell("td", n + " (×" + rel.lift[i][j].toFixed(2) + ")")); });
        table.appendChild(tr);
      });
      var stats = document.getElementById("relation-stats");
      stats.textContent = stats.dataset.template.replace("{0}", rel.chi_square.toFixed(2)).replace("{1}", rel.df)
        .replace("{2}", rel.p.toPrecision(3)).replace("{3}", rel.cramers_v.toFixed(3)).replace("{4}", rel.n);
      root.dataset.ready = "relation";
    }).catch(showError);
  });

  runOverview();
  runTrend();
})();
