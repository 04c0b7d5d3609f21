  (function () {
    const data = JSON.parse(document.getElementById("data-regions").textContent);
    const el = document.getElementById("chart-regions");
    if (!el || !window.Chart) return;
    new Chart(el, { type: "bar", data: { labels: data.labels, datasets: [
      { label: "托位", data: data.places, backgroundColor: "#8cc4ff", borderRadius: 4 },
      { label: "在托", data: data.enrolled, backgroundColor: "#1f4e8c", borderRadius: 4 }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
  })();
