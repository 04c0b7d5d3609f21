  (function () {
    const data = JSON.parse(document.getElementById("data-indicators").textContent);
    const el = document.getElementById("chart-indicators");
    if (!el || !window.Chart) return;
    new Chart(el, {
      data: { labels: data.labels, datasets: [
        { type: "bar", label: "培训人数", data: data.trained, backgroundColor: "#3d7cc9", borderRadius: 4, maxBarThickness: 48, yAxisID: "y" },
        { type: "bar", label: "培训后就业", data: data.employed, backgroundColor: "#29a19c", borderRadius: 4, maxBarThickness: 48, yAxisID: "y" },
        { type: "line", label: "就业率（%）", data: data.rate.map(Number), borderColor: "#f0a202", backgroundColor: "#f0a202", yAxisID: "rate" },
      ] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, rate: { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false } } } },
    });
  })();
