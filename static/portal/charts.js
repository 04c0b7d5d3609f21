// One helper for every chart: data comes from a json_script block {labels: [...], values: [...]}.
const PORTAL_COLORS = ["#1f4e8c", "#3d7cc9", "#5fa8ff", "#8cc4ff", "#f0a202", "#e4572e", "#29a19c", "#6c757d", "#9b5de5", "#00bbf9"];
function portalChart(canvasId, type, dataId, label) {
  const data = JSON.parse(document.getElementById(dataId).textContent);
  const el = document.getElementById(canvasId);
  if (!el || !window.Chart) return null;
  const round = type === "doughnut" || type === "pie";
  return new Chart(el, {
    type: type,
    data: { labels: data.labels, datasets: [{ label: label, data: data.values,
      backgroundColor: round ? PORTAL_COLORS : PORTAL_COLORS[0], borderRadius: round ? 0 : 4 }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: round, position: "right" } },
      scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

// Declarative charts: <canvas data-chart="bar|doughnut|line" data-chart-data="json_script id" data-chart-label="…">.
document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
  portalChart(el.id, el.dataset.chart, el.dataset.chartData, el.dataset.chartLabel || "");
});
