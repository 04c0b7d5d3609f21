// The notice batch of a record: poll its status while it is queued or running, move the bar, reload when done.
(function () {
  var box = document.getElementById("notice-progress");
  if (!box) { return; }
  function active(status) { return status === "pending" || status === "running"; }
  if (!active(box.dataset.status)) { return; }
  (function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var bar = document.getElementById("notice-progress-bar");
        portalBarWidth(bar, s.percent);
        bar.textContent = s.percent + "%";
        box.setAttribute("aria-valuenow", s.percent);
        document.getElementById("notice-progress-text").textContent =
          s.status_display + " · " + s.done + " / " + s.total + "（" + s.percent + "%）";
        if (active(s.status)) { setTimeout(poll, 1000); } else { setTimeout(function () { location.reload(); }, 600); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  })();
})();
