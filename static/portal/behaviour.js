// Page behaviour without inline script (the Content-Security-Policy allows scripts from 'self' only):
// <select data-autosubmit> submits its form on change; <button data-print> prints the page;
// <form data-upload-progress="#id"> shows that element and disables its submit button while uploading.
// On a narrow screen a table with a heading row that does not fit its container, has five columns or more, or is
// marked table-stack-narrow (it would fit only as slivers) becomes one card per row: each cell is labelled with its column's heading
// (data-label, shown by portal.css), empty cells are marked, and the table gets .table-stacked.
// portalBarWidth(bar, percent) moves a bar: it swaps the bar's pct-N class (portal.css), as the `pct` filter
// draws it on the server — no style attribute, whatever the page does later.
function portalBarWidth(bar, percent) {
  var whole = Math.min(100, Math.max(0, Math.round(Number(percent) || 0)));
  bar.className = bar.className.replace(/\bpct-\d+\b/g, "").trim() + " pct-" + whole;
}
(function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var progress = document.querySelector(form.dataset.uploadProgress);
      if (progress) progress.classList.remove("d-none");
      form.querySelectorAll("[type=submit]").forEach(function (b) { b.disabled = true; });
    });
  });
  var tables = Array.prototype.slice.call(document.querySelectorAll("main table.table")).filter(function (table) {
    return table.tHead && table.tHead.rows.length === 1;
  });
  tables.forEach(function (table) {
    var headings = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i++) headings.push(cell.textContent.trim());
    });
    table.dataset.columns = headings.length;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (headings[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[column]);
          if (!cell.textContent.trim() && !cell.querySelector("input, select, button, img, svg, canvas")) {
            cell.classList.add("cell-empty");
          }
          column += cell.colSpan;
        });
      });
    });
  });
  var narrow = window.matchMedia("(max-width: 767.98px)");
  function stackTablesThatDoNotFit() {
    tables.forEach(function (table) { table.classList.remove("table-stacked"); });
    if (!narrow.matches) return;
    tables.forEach(function (table) {
      var room = table.parentElement.clientWidth;
      if (table.classList.contains("table-stack-narrow") || Number(table.dataset.columns) >= 5 ||
          table.offsetWidth > room + 1 || table.scrollWidth > room + 1) {
        table.classList.add("table-stacked");
      }
    });
  }
  stackTablesThatDoNotFit();
  var pending;
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(stackTablesThatDoNotFit, 150); });
})();

// Bulk bars (apps.core.bulk, templates/includes/bulk_bar.html): a row's checkbox belongs to the bar's form
// (form="…"); a data-bulk-all box (the heading's, the bar's) ticks every row of the page; the bar counts what is ticked; a choice
// that needs a reason makes the note required.
function portalBulkRows(form) {
  return Array.prototype.slice.call(document.querySelectorAll('input[name="ids"][form="' + form.id + '"]'));
}
(function () {
  document.querySelectorAll("form[data-bulk-form]").forEach(function (form) {
    var count = form.querySelector("[data-bulk-count]");
    // the heading's box, and the bar's own (a phone's stacked table has no heading row)
    var alls = Array.prototype.slice.call(document.querySelectorAll('[data-bulk-all="' + form.id + '"]'));
    var choice = form.querySelector("[data-bulk-choice]");
    var note = form.querySelector('[name="note"]');
    function recount() {
      var rows = portalBulkRows(form), ticked = rows.filter(function (r) { return r.checked; }).length;
      if (count) count.textContent = "已选 " + ticked + " 条";
      alls.forEach(function (all) {
        all.checked = ticked > 0 && ticked === rows.length; all.indeterminate = ticked > 0 && ticked < rows.length;
      });
    }
    portalBulkRows(form).forEach(function (row) { row.addEventListener("change", recount); });
    alls.forEach(function (all) {
      all.addEventListener("change", function () {
        portalBulkRows(form).forEach(function (row) { row.checked = all.checked; });
        recount();
      });
    });
    if (choice && note) choice.addEventListener("change", function () {
      var option = choice.options[choice.selectedIndex];
      note.required = !!(option && option.dataset.needsNote);
    });
    recount();
  });
})();

// What a bulk bar's confirmation says: how many records, which ones, the chosen outcome and what it does.
function portalBulkPlan(form) {
  var labels = portalBulkRows(form).filter(function (r) { return r.checked; }).map(function (r) {
    return r.dataset.bulkLabel || ("#" + r.value);
  });
  var choice = form.querySelector("[data-bulk-choice]");
  var option = choice ? choice.options[choice.selectedIndex] : null;
  var note = form.querySelector('[name="note"]');
  if (!labels.length) return { ok: false, sentence: "请先勾选要处理的记录。", items: [] };
  var sentence = "将对以下 " + labels.length + " 条记录执行“" + (option ? option.textContent.trim() : "") + "”。" +
    (option && option.dataset.confirm ? option.dataset.confirm : "") +
    (note && note.value.trim() ? " 处理说明：" + note.value.trim() : "") +
    " 每条记录单独办理，不符合条件的记录不处理，完成后逐条列出结果。";
  return { ok: true, sentence: sentence, items: labels };
}

// Irreversible actions ask first: a submit button with data-confirm="what will happen" opens the one
// confirmation dialog (#portal-confirm in base.html) with that sentence; only 确认 submits, with the button's
// own formaction. A bulk bar's button (data-bulk-submit) asks with the plan above: the sentence and the list of
// ticked records (nothing ticked: the dialog says so and offers no 确认). Without the dialog (or Bootstrap) the
// browser's confirm() asks; without script the form posts as before and the server's checks still apply.
(function () {
  var dialog = document.getElementById("portal-confirm");
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (button.dataset.confirmed === "1") { button.dataset.confirmed = ""; return; }
      event.preventDefault();
      var sentence = button.dataset.confirm, items = [], ok = true;
      if (button.hasAttribute("data-bulk-submit") && button.form) {
        var plan = portalBulkPlan(button.form);
        if (plan.ok && !button.form.reportValidity()) return;
        sentence = plan.sentence; items = plan.items; ok = plan.ok;
      }
      var go = function () { button.dataset.confirmed = "1"; button.click(); };
      if (!dialog || !window.bootstrap) {
        if (!ok) { window.alert(sentence); return; }
        if (window.confirm(sentence + (items.length ? "\n" + items.join("\n") : ""))) go();
        return;
      }
      dialog.querySelector("#portal-confirm-text").textContent = sentence;
      dialog.querySelector("#portal-confirm-title").textContent = button.dataset.confirmTitle || "请确认";
      var list = dialog.querySelector("#portal-confirm-list");
      if (list) {
        list.textContent = "";
        items.forEach(function (text) { var li = document.createElement("li"); li.textContent = text; list.appendChild(li); });
        list.classList.toggle("d-none", !items.length);
      }
      var confirm = dialog.querySelector("#portal-confirm-ok");
      confirm.classList.toggle("d-none", !ok);
      var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
      confirm.onclick = function () { modal.hide(); go(); };
      modal.show();
    });
  });
})();

// Signing out deletes what the offline visit page keeps on this device (Clear-Site-Data, docs/offline-visits.md):
// when its queue (static/child_welfare/offline.js) still holds visits not on the server, say so first.
(function () {
  var form = document.querySelector("form[data-logout]");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    var items = [];
    try { items = JSON.parse(window.localStorage.getItem("cw-offline-visits")) || []; } catch (e) { items = []; }
    var unsent = items.filter(function (item) { return item.status !== "synced"; }).length;
    if (unsent && !window.confirm("本机还有 " + unsent + " 条离线探访记录未同步到服务器，退出后将从本机删除。确定退出？")) {
      event.preventDefault();
    }
  });
})();
