// The analyses page: draws each tier's count then and now from the
// comparison the server already laid out in a data attribute. The tables
// beside it carry the same numbers, so the page is usable without the
// chart, and no inline script is needed (strict Content-Security-Policy).
"use strict";

(function () {
  var el = document.getElementById("comparison-chart");
  if (!el || typeof echarts === "undefined") { return; }
  var data;
  try { data = JSON.parse(el.dataset.chart || "{}"); } catch (e) { return; }
  if (!data.levels) { return; }
  var chart = echarts.init(el, null, { renderer: "canvas" });
  chart.setOption({
    title: { text: el.dataset.title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { data: data.names, bottom: 0 },
    xAxis: { type: "category", data: data.levels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.names[0], type: "bar", data: data.from },
      { name: data.names[1], type: "bar", data: data.to }
    ]
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
