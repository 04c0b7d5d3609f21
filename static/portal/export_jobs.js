// Background exports (apps.core.export_jobs) on a record's page: poll each queued or running job's status,
// move its bar, reload when it has finished (the download link then shows). The same loop as notice_batch.js.
(function () {
  function active(status) { return status === "pending" || status === "running"; }
  document.querySelectorAll(".export-job").forEach(function (box) {
    if (!active(box.dataset.status)) { return; }
    (function poll() {
      fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var bar = box.querySelector(".progress-bar");
          portalBarWidth(bar, s.percent);
          bar.textContent = s.percent + "%";
          box.querySelector(".progress").setAttribute("aria-valuenow", s.percent);
          box.querySelector(".export-progress-text").textContent =
            s.status_display + " · " + s.done + " / " + s.total + "（" + s.percent + "%）";
          if (active(s.status)) { setTimeout(poll, 1000); } else { setTimeout(function () { location.reload(); }, 600); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    })();
  });
})();
