/* /kinerja/: realisasi vs target chart. Data comes from json_script#kinerja-chart. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("kinerja-chart");
    var canvas = document.getElementById("kinerja-chart-canvas");
    if (!source || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    if (!data.labels || !data.labels.length) return;
    function wrap(label) {
      var lines = [], line = "";
      label.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > 22) { lines.push(line); line = word; }
        else { line = line ? line + " " + word : word; }
      });
      if (line) lines.push(line);
      return lines;
    }
    canvas.parentNode.style.height = (data.labels.length * (40 + 14 * data.datasets.length) + 90) + "px";
    var palette = ["#127a50", "#0d6efd", "#b35c00", "#6f42c1"];
    var datasets = [{
      label: data.target_label, data: data.target, backgroundColor: "#c9d6cf", borderColor: "#0b5d3b", borderWidth: 1
    }];
    data.datasets.forEach(function (set, i) {
      datasets.push({ label: set.label, data: set.data, backgroundColor: palette[i % palette.length] });
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels.map(wrap), datasets: datasets },
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
