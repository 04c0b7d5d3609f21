(function () {
  const source = document.getElementById("data-fraud");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const options = { responsive: true, maintainAspectRatio: false, animation: false,
    scales: { y: { beginAtZero: true } } };
  const status = document.getElementById("chart-fraud-status");
  if (status) {
    new Chart(status, { type: "bar", data: { labels: data.labels, datasets: [
      { label: "案件数", data: data.counts, backgroundColor: "#3d7cc9", borderRadius: 4, maxBarThickness: 48 },
    ] }, options: { ...options, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  }
  const region = document.getElementById("chart-fraud-region");
  if (region) {
    new Chart(region, { type: "bar", data: { labels: data.regions, datasets: [
      { label: "追回金额（元）", data: data.repay.map(Number), backgroundColor: "#29a19c", borderRadius: 4, maxBarThickness: 48 },
      { label: "罚款（元）", data: data.fine.map(Number), backgroundColor: "#f0a202", borderRadius: 4, maxBarThickness: 48 },
    ] }, options });
  }
})();
