// The market and competitors page: market shares per region, churn reasons
// and win/loss, fetched from the API and drawn with ECharts. Text is written
// through textContent only, so the page keeps the strict
// Content-Security-Policy (no inline scripts or styles).
"use strict";

(function () {
  var root = document.getElementById("market");
  if (!root || typeof echarts === "undefined") { return; }
  var msg = root.dataset;
  var charts = [];

  function chart(id) {
    var c = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    charts.push(c);
    return c;
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  function get(path) {
    return fetch(path, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error((body.error && body.error.message) || r.statusText); }
          return body;
        });
      });
  }

  function pct(v) { return v === null || v === undefined ? "–" : v.toFixed(1) + "%"; }

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  // Market shares: one stacked bar per region, a series per competitor and
  // one for everyone else.
  function drawShares(body) {
    var regions = body.items.map(function (r) { return r.region + " " + r.year; });
    var names = [];
    body.items.forEach(function (r) {
      r.shares.forEach(function (s) { if (names.indexOf(s.competitor) < 0) { names.push(s.competitor); } });
    });
    var series = names.map(function (n) {
      return { name: n, type: "bar", stack: "share", data: body.items.map(function (r) {
        var s = r.shares.find(function (x) { return x.competitor === n; });
        return s ? s.share : 0;
      }) };
    });
    series.push({ name: msg.others, type: "bar", stack: "share", data: body.items.map(function (r) { return r.others; }) });
    chart("chart-shares").setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 40, left: 90, right: 20, bottom: 20 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: regions }, series: series
    });
  }

  function drawChurn(rep) {
    document.getElementById("churn-summary").textContent = msg.churned.replace("{0}", rep.churned);
    chart("chart-churn").setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: "65%", data: rep.reasons.map(function (p) {
        return { name: p.key === "" ? msg.unknown : p.key, value: p.count };
      }) }]
    });
  }

  function drawWinLoss(rep) {
    var names = rep.rows.map(function (r) { return r.competitor; });
    chart("chart-winloss").setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { top: 40, left: 50, right: 20, bottom: 40 },
      xAxis: { type: "category", data: names }, yAxis: { type: "value" },
      series: [
        { name: msg.lost, type: "bar", data: rep.rows.map(function (r) { return r.lost; }) },
        { name: msg.won, type: "bar", data: rep.rows.map(function (r) { return r.won; }) }
      ]
    });
    var body = document.querySelector("#winloss-table tbody");
    body.replaceChildren();
    rep.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      var top = r.reasons && r.reasons.length ? (r.reasons[0].key || msg.unknown) + " " + pct(r.reasons[0].share) : "–";
      [r.competitor, String(r.lost), pct(r.lost_share), String(r.won), pct(r.won_share), String(r.net), top]
        .forEach(function (t) { tr.appendChild(cell("td", t)); });
      body.appendChild(tr);
    });
  }

  Promise.all([
    get("/api/v1/market/shares").then(drawShares),
    get("/api/v1/analytics/churn").then(drawChurn),
    get("/api/v1/analytics/winloss").then(drawWinLoss)
  ]).then(function () { root.dataset.ready = "market"; }, function (e) {
    document.getElementById("churn-summary").textContent = e.message;
    root.dataset.ready = "error";
  });
})();
