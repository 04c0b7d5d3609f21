(function () {
  const el = document.getElementById("chart-monthly");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("data-monthly").textContent);
  new Chart(el, { type: "line", data: { labels: d.labels, datasets: [
      { label: "新增", data: d.new, borderColor: "#1f4e8c", backgroundColor: "#1f4e8c", tension: .3 },
      { label: "结案", data: d.closed, borderColor: "#2fb344", backgroundColor: "#2fb344", tension: .3 } ] },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
})();
