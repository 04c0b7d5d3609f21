  (function poll() {
    fetch("?format=json").then(r => r.json()).then(d => {
      document.getElementById("run-status").textContent = d.status_display;
      document.getElementById("run-count").textContent = d.processed + "/" + d.total;
      const bar = document.getElementById("run-bar"); portalBarWidth(bar, d.percent); bar.textContent = d.percent + "%";
      ["computed", "skipped", "failed"].forEach(k => document.getElementById("run-" + k).textContent = d[k]);
      if (d.status === "pending" || d.status === "running") setTimeout(poll, 1500); else bar.classList.remove("progress-bar-animated");
    });
  })();
