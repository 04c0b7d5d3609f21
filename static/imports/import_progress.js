// A background import's batch page: poll its progress (rows checked, then rows written) and reload the page
// when the import has finished, to show the result and every bad row.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-bar");
  var track = document.getElementById("import-bar-track");
  function show(p) {
    document.getElementById("import-status").textContent = p.status_label;
    var text = "已校验 " + p.rows_checked.toLocaleString() + " 行";
    if (p.rows_written) { text += "，已写入 " + p.rows_written.toLocaleString() + " / " + p.rows_total.toLocaleString() + " 行"; }
    document.getElementById("import-counts").textContent = text;
    if (p.percent === null) {
      portalBarWidth(bar, 100);
      bar.textContent = "";
      track.removeAttribute("aria-valuenow");
    } else {
      portalBarWidth(bar, p.percent);
      bar.textContent = p.percent + "%";
      track.setAttribute("aria-valuenow", p.percent);
    }
  }
  (function poll() {
    fetch(box.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        show(p);
        if (p.done) { setTimeout(function () { location.reload(); }, 400); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  })();
})();
