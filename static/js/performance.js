/* /kinerja/: realisasi vs target chart. Data comes from json_script#kinerja-chart. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("kinerja-chart");
    var canvas = document.getElementById("kinerja-chart-canvas");
    if (!source || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.labels || !data.labels.length) return;
    var palette = ["#127a50", "#0d6efd", "#b35c00", "#6f42c1"];
    var datasets = [{
      label: data.target_label, data: data.target, backgroundColor: "#c9d6cf", borderColor: "#0b5d3b", borderWidth: 1
    }];
    data.datasets.forEach(function (set, i) {
      datasets.push({ label: set.label, data: set.data, backgroundColor: palette[i % palette.length] });
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { beginAtZero: true } }
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
