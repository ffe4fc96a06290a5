// Draws the report's charts with uPlot (inlined before this script) from the JSON of #report-data:
// {"charts": [{"id", "title", "xLabel", "yLabel", "logY", "series": [{"name", "color", "x": [...], "y": [...]}]}]}.
// Series with different x values are aligned on the union of their x (uPlot.join), gaps spanned.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var height = 360;

  function width(element) {
    return Math.max(320, Math.min(element.clientWidth || 900, 1100));
  }

  data.charts.forEach(function (chart) {
    var element = document.getElementById(chart.id);
    if (!element) return;
    var aligned = chart.series.length > 0
      ? uPlot.join(chart.series.map(function (s) { return [s.x, s.y]; }))
      : [[]];
    var options = {
      title: chart.title,
      width: width(element),
      height: height,
      scales: { x: { time: false }, y: chart.logY ? { distr: 3 } : {} },
      axes: [{ label: chart.xLabel }, { label: chart.yLabel }],
      series: [{ label: chart.xLabel }].concat(chart.series.map(function (s) {
        return { label: s.name, stroke: s.color, width: 2, spanGaps: true, points: { show: s.x.length <= 60 } };
      })),
    };
    var plot = new uPlot(options, aligned, element);
    window.addEventListener("resize", function () {
      plot.setSize({ width: width(element), height: height });
    });
  });
})();
