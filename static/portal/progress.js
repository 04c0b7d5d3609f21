// The one poller for background work shown on a page (refund runs, subsidy runs, 公益性岗位 runs, imports,
// notice batches, exports). Markup, rendered by the server with the current values so nothing jumps:
//   <div data-progress-url="…json…" data-status="running" data-active="pending running" data-then="reload">
//     <span data-field="done">3</span> / <span data-field="total">9</span>
//     <span data-shown-when="rows_written">…</span>            (hidden while that value is 0 or empty)
//     <div class="progress" aria-valuenow="33"><div class="progress-bar">33%</div></div>
//   </div>
// While the JSON's `status` is one of data-active (default "pending running") it polls again; then it reloads
// the page to show the result (data-then="stay": it stops the bar's animation instead). `percent` null draws
// a full striped bar without a number (the total is not known yet).
(function () {
  function text(value) {
    if (typeof value === "number") { return value.toLocaleString(); }
    return value === null || value === undefined ? "" : String(value);
  }
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var active = (box.dataset.active || "pending running").split(" ");
    if (box.dataset.status && active.indexOf(box.dataset.status) < 0) { return; }
    var track = box.classList.contains("progress") ? box : box.querySelector(".progress");
    var bar = box.querySelector(".progress-bar");
    var interval = parseInt(box.dataset.interval || "1000", 10);
    function show(d) {
      box.querySelectorAll("[data-field]").forEach(function (el) { el.textContent = text(d[el.dataset.field]); });
      box.querySelectorAll("[data-shown-when]").forEach(function (el) {
        el.classList.toggle("d-none", !d[el.dataset.shownWhen]);
      });
      if (!bar) { return; }
      if (d.percent === null || d.percent === undefined) {
        portalBarWidth(bar, 100);
        bar.textContent = "";
        if (track) { track.removeAttribute("aria-valuenow"); }
      } else {
        portalBarWidth(bar, d.percent);
        bar.textContent = d.percent + "%";
        if (track) { track.setAttribute("aria-valuenow", d.percent); }
      }
    }
    (function poll() {
      fetch(box.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          show(d);
          if (active.indexOf(d.status) >= 0) { setTimeout(poll, interval); }
          else if (box.dataset.then === "stay") { if (bar) { bar.classList.remove("progress-bar-animated"); } }
          else { setTimeout(function () { location.reload(); }, 500); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    })();
  });
})();
