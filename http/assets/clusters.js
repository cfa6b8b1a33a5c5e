// The need-cluster part of the analytics page: asks the clusters API and
// shows each group's clusters as a table and the largest group's as a bar
// chart. Text goes in through textContent only (strict CSP, no HTML).
"use strict";

(function () {
  var form = document.getElementById("clusters-form");
  var root = document.getElementById("analytics");
  if (!form || !root || typeof echarts === "undefined") { return; }
  var msg = form.dataset;
  var lang = root.dataset.lang;
  var chart = null;

  function cell(tag, text) {
    var el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function showError(e) {
    var el = document.getElementById("clusters-error");
    el.textContent = e ? e.message : "";
    el.hidden = !e;
  }

  function terms(c) {
    return c.terms.map(function (t) { return t.term; }).join(" ");
  }

  function render(res) {
    var table = document.getElementById("clusters-table");
    table.replaceChildren();
    var head = document.createElement("tr");
    [msg.group, msg.terms, msg.records, msg.share, msg.example].forEach(function (h) { head.appendChild(cell("th", h)); });
    table.appendChild(head);
    (res.groups || []).forEach(function (g) {
      (g.clusters || []).forEach(function (c, i) {
        var tr = document.createElement("tr");
        tr.appendChild(cell(i === 0 ? "th" : "td", i === 0 ? (g.label || g.key || "–") : ""));
        tr.appendChild(cell("td", terms(c)));
        tr.appendChild(cell("td", String(c.count)));
        tr.appendChild(cell("td", c.share.toFixed(1) + "%"));
        tr.appendChild(cell("td", (c.examples && c.examples[0]) || ""));
        table.appendChild(tr);
      });
    });
    if (!res.groups || res.groups.length === 0) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("td", msg.empty));
      table.appendChild(tr);
    }
    var first = (res.groups || [])[0];
    if (!chart) { chart = echarts.init(document.getElementById("chart-clusters"), null, { renderer: "canvas" }); }
    var cs = first ? first.clusters.slice().reverse() : [];
    chart.setOption({
      title: { text: first ? (first.label || first.key) : "", left: "center" },
      tooltip: {},
      grid: { left: 220 },
      xAxis: { type: "value", name: msg.records },
      yAxis: { type: "category", data: cs.map(terms) },
      series: [{ type: "bar", data: cs.map(function (c) { return c.count; }) }]
    }, true);
  }

  function run() {
    delete form.dataset.ready;
    var q = new URLSearchParams({ source: form.source.value, by: form.by.value, k: form.k.value || "0", lang: lang });
    return fetch("/api/v1/analytics/clusters?" + q.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error((body.error && body.error.message) || r.statusText); }
          return body;
        });
      })
      .then(function (res) { showError(null); render(res); form.dataset.ready = "yes"; }, showError);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  run();
})();
