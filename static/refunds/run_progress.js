  // Poll the chunk table through the progress endpoint; reload when the run has left "computing".
  (function poll() {
    fetch(document.getElementById("progress").dataset.progressUrl, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        var bar = document.getElementById("progress-bar");
        portalBarWidth(bar, p.percent);
        bar.textContent = p.percent + "%";
        document.getElementById("progress").setAttribute("aria-valuenow", p.percent);
        document.getElementById("progress-text").textContent =
          p.employers_done.toLocaleString() + " / " + p.employers_total.toLocaleString() + "（" + p.percent + "%）";
        if (p.status !== "computing" && p.status !== "created") { setTimeout(function () { location.reload(); }, 600); }
        else { setTimeout(poll, 800); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  })();
