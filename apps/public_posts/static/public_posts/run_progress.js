// The run page while it computes: poll ?format=json, move the bar, reload once the run has left 计算中.
(function poll() {
  fetch("?format=json", {headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); }).then(function (d) {
    var bar = document.getElementById("run-bar");
    portalBarWidth(bar, d.percent);
    bar.textContent = d.percent + "%";
    document.getElementById("run-progress").setAttribute("aria-valuenow", d.percent);
    document.getElementById("run-count").textContent = d.done + " / " + d.total + "（" + d.percent + "%）";
    document.getElementById("run-status").textContent = d.status_display;
    if (d.status === "computing") { setTimeout(poll, 1000); } else { setTimeout(function () { location.reload(); }, 400); }
  }).catch(function () { setTimeout(poll, 2000); });
})();
