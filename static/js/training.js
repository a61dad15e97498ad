// Training oversight chart (Admin BKPSDM). Data comes from a json_script element.
(function () {
  "use strict";
  function draw() {
    const data = document.getElementById("data-grafik-pelatihan");
    const canvas = document.getElementById("grafik-pelatihan");
    if (!data || !canvas || typeof window.Chart === "undefined") return;
    const chart = JSON.parse(data.textContent);
    const box = canvas.parentElement;
    box.style.height = Math.max(220, chart.labels.length * 28 + 60) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.label, data: chart.values, backgroundColor: "#0b5d3b" }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } },
        plugins: { legend: { display: false } },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
