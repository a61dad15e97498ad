// Kurva distribusi chart (annual evaluation) and monitoring charts. Data come from json_script.
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function kurva() {
    var d = data("kurva-data");
    var canvas = document.getElementById("kurva-chart");
    if (!d || !canvas || typeof Chart === "undefined") return;
    new Chart(canvas, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: d.legend.actual, data: d.actual, backgroundColor: "#1f6f8b", order: 2 },
          { type: "line", label: d.legend.min, data: d.min, borderColor: "#d97706", backgroundColor: "#d97706", pointStyle: "line", pointRadius: 18, pointBorderWidth: 4, pointHoverRadius: 18, showLine: false, order: 1 },
          { type: "line", label: d.legend.max, data: d.max, borderColor: "#b91c1c", backgroundColor: "#b91c1c", pointStyle: "line", pointRadius: 18, pointBorderWidth: 4, pointHoverRadius: 18, showLine: false, order: 1 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          // every predikat named, upright; on a narrow chart each word on its own line (390 px)
          x: { ticks: { autoSkip: false, maxRotation: 0, minRotation: 0, font: function (ctx) { return { size: ctx.chart.width < 560 ? 10 : 12 }; }, callback: function (value) { return wrapped(this.chart, this.getLabelForValue(value)); } } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }
  // A label as lines (Chart.js draws an array as one line per item) when the chart is narrow:
  // "Kurang/Misconduct" -> ["Kurang/", "Misconduct"], "Butuh Perbaikan" -> ["Butuh", "Perbaikan"].
  function wrapped(chart, label) {
    if (typeof label !== "string" || chart.width >= 560) return label;
    return label.replace(/\//g, "/ ").split(/\s+/).filter(Boolean);
  }
  function monitoring() {
    var d = data("pemantauan-data");
    var canvas = document.getElementById("pemantauan-chart");
    if (!d || !canvas || typeof Chart === "undefined") return;
    var height = Number(canvas.parentNode.dataset.height || 240);
    // on a phone each OPD's name takes up to three lines: give every bar more room
    if (canvas.parentNode.clientWidth < 560) height = Math.max(height, 60 + 48 * d.labels.length);
    canvas.parentNode.style.height = height + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: d.legend.on_time, data: d.on_time, backgroundColor: "#15803d", stack: "r" },
          { label: d.legend.late, data: d.late, backgroundColor: "#b91c1c", stack: "r" },
          { label: d.legend.missing, data: d.missing, backgroundColor: "#9ca3af", stack: "r" }
        ]
      },
      options: { animation: false, indexAxis: "y", responsive: true, maintainAspectRatio: false, scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          // the OPD names whole (no clipped "s Komunikasi dan …"): in lines on a narrow chart
          y: { stacked: true, ticks: { autoSkip: false, font: function (ctx) { return { size: ctx.chart.width < 560 ? 10 : 12 }; }, callback: function (value) { return this.chart.width < 560 ? lines(this.getLabelForValue(value), 16, 3) : this.getLabelForValue(value); } } }
        } }
    });
  }
  // Words packed into lines of at most `width` characters, at most `most` lines (the last one
  // ends with "…" when the label is longer; the tooltip keeps the whole name).
  function lines(label, width, most) {
    if (typeof label !== "string") return label;
    var out = [];
    label.split(/\s+/).forEach(function (word) {
      var last = out.length - 1;
      if (last >= 0 && (out[last] + " " + word).length <= width) out[last] += " " + word;
      else out.push(word);
    });
    if (out.length > most) {
      out = out.slice(0, most);
      out[most - 1] += "…";
    }
    return out;
  }
  document.addEventListener("DOMContentLoaded", function () { kurva(); monitoring(); });
})();
