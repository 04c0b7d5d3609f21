// 离线入户探访 (templates/child_welfare/offline.html, docs/offline-visits.md).
// - Registers the service worker (/sw.js) and, online, asks it to keep this page, its static files and the case list.
// - The visit form saves to a queue in localStorage ("cw-offline-visits"), one item per visit, each with its own
//   Idempotency-Key, the case's version and latest visit id as cached, and the signed-in worker's id.
// - The queue syncs on page load, on the browser's "online" event and on 立即同步: POST …/cases/{id}/offline-visits/.
//   201: 已同步 (the visit's text is dropped from the phone); 409 offline_visit_conflict: 冲突, both sides shown,
//   仍然提交 (with a note, against the server's version) or 放弃; 400/422: 需修改, the server's field errors on the
//   item; 404: the case is no longer the worker's; 401/403: sign in again, the queue stays; no network: 待同步.
(function () {
  "use strict";
  var app = document.getElementById("offline-app");
  if (!app) return;
  var KEY = "cw-offline-visits";
  var FIELDS = ["visited_on", "visitors", "child_seen", "findings", "services_delivered"];
  var LABELS = {visited_on: "探访日期", visitors: "探访人员", child_seen: "见到儿童本人", findings: "探访发现",
                services_delivered: "提供的服务", resolution_note: "说明", case_version: "个案版本",
                non_field_errors: "提交内容", "Idempotency-Key": "幂等键"};
  var STATUS = {pending: "待同步", syncing: "正在同步", synced: "已同步", conflict: "冲突", error: "需修改",
                gone: "无法同步"};
  var user = app.dataset.user;
  var form = document.getElementById("offline-visit-form");
  var caseSelect = document.getElementById("offline-case");
  var cases = {};
  var editing = null;
  var syncing = false;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return "offline-visit-" + window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return "offline-visit-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function pad(n) { return ("0" + n).slice(-2); }
  function isoDay(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function today() { return isoDay(new Date()); }
  // A moment as the portal's lists print one (apps/core/templatetags/formats.py LIST_DATETIME: 2026-03-01 09:05).
  function listDateTime(value) { var d = new Date(value); return isoDay(d) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // ------------------------------------------------------------------ the queue
  function loadAll() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function saveAll(items) { window.localStorage.setItem(KEY, JSON.stringify(items)); }
  function mine() { return loadAll().filter(function (item) { return item.user === user; }); }
  function update(id, change) {
    var items = loadAll();
    items.forEach(function (item) { if (item.id === id) Object.assign(item, change); });
    saveAll(items);
  }
  function remove(id) { saveAll(loadAll().filter(function (item) { return item.id !== id; })); }

  // ------------------------------------------------------------------ cases (through the service worker's copy)
  function showCases(data) {
    cases = {};
    var chosen = caseSelect.value;
    while (caseSelect.options.length > 1) caseSelect.remove(1);
    (data.cases || []).forEach(function (row) {
      cases[row.id] = row;
      var label = row.reference + " " + row.child_name + (row.next_visit_due ? "（应于 " + row.next_visit_due + " 前探访）" : "");
      caseSelect.add(new Option(label, String(row.id)));
    });
    caseSelect.value = chosen && cases[chosen] ? chosen : "";
    var at = data.generated_at ? new Date(data.generated_at) : null;
    $("offline-cases-at").textContent = "个案数据：" + (data.cases || []).length + " 个在办个案" +
      (at ? "，更新于 " + listDateTime(at) : "");
    showCaseInfo();
  }
  function showCaseInfo() {
    var row = cases[caseSelect.value];
    $("offline-case-info").textContent = row ? "身份证号 " + row.child_id_number + " · 下次探访期限 " +
      (row.next_visit_due || "未设定") : "";
  }
  function loadCases() {
    return fetch(app.dataset.casesUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (response.status === 401 || response.status === 403) { loginNeeded(true); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && String(data.user) === user) showCases(data);
        else if (!Object.keys(cases).length) $("offline-cases-at").textContent = "个案数据：未能获取，请联网后刷新本页。";
      })
      .catch(function () {
        if (!Object.keys(cases).length) $("offline-cases-at").textContent = "个案数据：本机尚无缓存，请联网后打开本页。";
      });
  }
  caseSelect.addEventListener("change", showCaseInfo);

  // ------------------------------------------------------------------ the form
  function field(name) { return form.elements[name]; }
  function readForm() {
    var visit = {};
    FIELDS.forEach(function (name) {
      var input = field(name);
      visit[name] = input.type === "checkbox" ? input.checked : input.value.trim();
    });
    return visit;
  }
  function fillForm(item) {
    caseSelect.value = item ? String(item.caseId) : "";
    FIELDS.forEach(function (name) {
      var input = field(name);
      if (input.type === "checkbox") input.checked = item ? !!item.visit[name] : true;
      else input.value = item ? item.visit[name] || "" : (name === "visited_on" ? today() : (name === "visitors" ? input.defaultValue : ""));
    });
    showCaseInfo();
  }
  function formError(text) {
    var box = $("offline-form-error");
    box.textContent = text || "";
    box.classList.toggle("d-none", !text);
  }
  function setEditing(item) {
    editing = item ? item.id : null;
    $("offline-form-title").textContent = item ? "修改本机记录：" + item.caseRef : "记录一次入户探访";
    $("offline-save").lastChild.textContent = item ? " 保存修改" : " 保存到本机";
    $("offline-cancel-edit").classList.toggle("d-none", !item);
    fillForm(item);
    if (item) form.scrollIntoView({behavior: "smooth", block: "start"});
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    formError("");
    var row = cases[caseSelect.value];
    var existing = editing ? loadAll().filter(function (i) { return i.id === editing; })[0] : null;
    if (!row && !existing) { formError("请选择个案。"); caseSelect.focus(); return; }
    if (!form.checkValidity()) { form.reportValidity(); return; }  // the form's own required fields
    var visit = readForm();
    if (existing) {
      // A refused item, corrected: a new key (the refused request wrote nothing), the same case and base.
      update(existing.id, {visit: visit, key: newKey(), status: "pending", errors: null, message: ""});
    } else {
      var items = loadAll();
      items.push({id: newKey(), key: null, user: user, caseId: row.id, caseRef: row.reference, childName: row.child_name,
                  base: {case_version: row.case_version, last_visit_id: row.last_visit_id}, visit: visit,
                  status: "pending", createdAt: new Date().toISOString()});
      items[items.length - 1].key = items[items.length - 1].id;
      saveAll(items);
    }
    setEditing(null);
    render();
    sync();
  });
  $("offline-cancel-edit").addEventListener("click", function () { setEditing(null); });

  // ------------------------------------------------------------------ the list
  function counts(items) {
    var n = {pending: 0, conflict: 0, error: 0, synced: 0};
    items.forEach(function (item) {
      if (item.status === "pending" || item.status === "syncing") n.pending += 1;
      else if (item.status === "conflict") n.conflict += 1;
      else if (item.status === "error" || item.status === "gone") n.error += 1;
      else if (item.status === "synced") n.synced += 1;
    });
    return n;
  }
  function visitLines(list, visit) {
    list.appendChild(el("dt", "", "探访日期")); list.appendChild(el("dd", "", visit.visited_on));
    list.appendChild(el("dt", "", "探访人员")); list.appendChild(el("dd", "", visit.visitors));
    list.appendChild(el("dt", "", "见到儿童本人")); list.appendChild(el("dd", "", visit.child_seen ? "是" : "否"));
    list.appendChild(el("dt", "", "探访发现")); list.appendChild(el("dd", "offline-text", visit.findings));
    if (visit.services_delivered) {
      list.appendChild(el("dt", "", "提供的服务")); list.appendChild(el("dd", "offline-text", visit.services_delivered));
    }
  }
  function button(label, className, handler) {
    var b = el("button", "btn btn-sm " + className, label);
    b.type = "button";
    b.addEventListener("click", handler);
    return b;
  }
  function conflictBox(item) {
    var box = el("div", "offline-conflict mt-2");
    var data = item.conflict || {};
    var server = data.server || {};
    box.appendChild(el("div", "fw-semibold", "离线记录期间个案已有变更：" + (data.reason_labels || []).join("、")));
    var sides = el("div", "row g-2 mt-1");
    var local = el("div", "col-12 col-md-6");
    local.appendChild(el("div", "offline-side-title", "本机记录"));
    var localList = el("dl", "offline-dl");
    visitLines(localList, item.visit);
    local.appendChild(localList);
    var remote = el("div", "col-12 col-md-6");
    remote.appendChild(el("div", "offline-side-title", "服务器上的个案（现在）"));
    var remoteList = el("dl", "offline-dl");
    [["个案状态", server.status], ["责任经办人", server.assigned_worker], ["最近探访", server.last_visit_on || "无"],
     ["下次探访期限", server.next_visit_due || "未设定"]].forEach(function (pair) {
      remoteList.appendChild(el("dt", "", pair[0])); remoteList.appendChild(el("dd", "", pair[1]));
    });
    remote.appendChild(remoteList);
    var changes = el("ul", "small mb-0");
    (data.changes || []).forEach(function (text) { changes.appendChild(el("li", "", text)); });
    remote.appendChild(changes);
    sides.appendChild(local); sides.appendChild(remote);
    box.appendChild(sides);
    var note = el("div", "mt-2 d-none");
    var label = el("label", "form-label small", "说明（必填，将附在探访发现之后）");
    var text = el("textarea", "form-control form-control-sm");
    text.rows = 2; text.maxLength = 500; text.id = "offline-note-" + item.id; label.htmlFor = text.id;
    note.appendChild(label); note.appendChild(text);
    var noteError = el("div", "invalid-feedback d-block", "");
    note.appendChild(noteError);
    var actions = el("div", "d-flex flex-wrap gap-2 mt-2");
    var confirmSubmit = button("确认提交", "btn-primary d-none", function () {
      if (!text.value.trim()) { noteError.textContent = "请填写说明"; text.focus(); return; }
      update(item.id, {status: "pending", key: newKey(), note: text.value.trim(), acknowledged: data.reasons || [],
                       base: {case_version: server.case_version, last_visit_id: server.last_visit_id},
                       conflict: null, message: ""});
      render();
      sync();
    });
    actions.appendChild(button("仍然提交", "btn-outline-primary", function (event) {
      note.classList.remove("d-none"); confirmSubmit.classList.remove("d-none"); event.target.classList.add("d-none");
      text.focus();
    }));
    actions.appendChild(confirmSubmit);
    actions.appendChild(button("放弃", "btn-outline-danger", function () {
      if (window.confirm("放弃后这条探访记录将从本机删除，且不会提交到服务器。确定放弃？")) { remove(item.id); render(); }
    }));
    box.appendChild(note);
    box.appendChild(actions);
    return box;
  }
  function errorBox(item) {
    var box = el("div", "offline-errors mt-2");
    if (item.message) box.appendChild(el("div", "fw-semibold", item.message));
    var list = el("ul", "small mb-1");
    Object.keys(item.errors || {}).forEach(function (name) {
      (item.errors[name] || []).forEach(function (message) {
        var li = el("li", "offline-field-error", (LABELS[name] || "提交内容") + "：" + message);
        li.dataset.field = name;
        list.appendChild(li);
      });
    });
    box.appendChild(list);
    var actions = el("div", "d-flex flex-wrap gap-2");
    if (item.status === "error") actions.appendChild(button("修改", "btn-outline-primary", function () { setEditing(item); }));
    actions.appendChild(button("删除", "btn-outline-danger", function () {
      if (window.confirm("删除后这条探访记录将从本机删除，且不会提交到服务器。确定删除？")) { remove(item.id); render(); }
    }));
    box.appendChild(actions);
    return box;
  }
  function render() {
    var items = mine();
    var n = counts(items);
    $("offline-count-pending").textContent = "待同步 " + n.pending + " 条";
    $("offline-count-conflict").textContent = "冲突 " + n.conflict + " 条";
    $("offline-count-error").textContent = "需修改 " + n.error + " 条";
    $("offline-count-synced").textContent = "已同步 " + n.synced + " 条";
    $("offline-empty").classList.toggle("d-none", items.length > 0);
    var queue = $("offline-queue");
    queue.textContent = "";
    items.slice().reverse().forEach(function (item) {
      var li = el("li", "card p-3 mb-2 offline-item offline-" + item.status);
      li.dataset.status = item.status;
      li.dataset.case = String(item.caseId);
      var head = el("div", "d-flex flex-wrap align-items-center gap-2");
      head.appendChild(el("span", "badge offline-badge-" + item.status, STATUS[item.status] || item.status));
      head.appendChild(el("span", "fw-semibold", item.caseRef + " " + (item.childName || "")));
      head.appendChild(el("span", "text-secondary small", "探访日期 " + item.visit.visited_on));
      li.appendChild(head);
      if (item.status === "synced") {
        var done = el("div", "small text-secondary mt-1", "已于 " + listDateTime(item.syncedAt) +
                      " 同步到服务器" + (item.acknowledged && item.acknowledged.length ? "（附说明）" : "") + "。");
        var link = el("a", "ms-1", "查看个案");
        link.href = app.dataset.caseUrl.replace("/0/", "/" + item.caseId + "/") + "#visits";
        done.appendChild(link);
        li.appendChild(done);
      } else {
        var details = el("dl", "offline-dl mt-2");
        if (item.status !== "conflict") { visitLines(details, item.visit); li.appendChild(details); }
        if (item.status === "conflict") li.appendChild(conflictBox(item));
        if (item.status === "error" || item.status === "gone") li.appendChild(errorBox(item));
        if (item.status === "pending" && !navigator.onLine) li.appendChild(el("div", "small text-secondary", "无网络，联网后自动同步。"));
      }
      queue.appendChild(li);
    });
    var online = navigator.onLine;
    var net = $("offline-net");
    net.textContent = online ? "在线" : "离线";
    net.className = "badge offline-net " + (online ? "text-bg-success" : "text-bg-dark");
  }
  $("offline-clear-synced").addEventListener("click", function () {
    saveAll(loadAll().filter(function (item) { return !(item.user === user && item.status === "synced"); }));
    render();
  });

  // ------------------------------------------------------------------ sync
  function loginNeeded(yes) { $("offline-login-needed").classList.toggle("d-none", !yes); }
  function payload(item) {
    var body = {case_version: item.base.case_version, last_visit_id: item.base.last_visit_id};
    FIELDS.forEach(function (name) { body[name] = item.visit[name]; });
    if (item.acknowledged && item.acknowledged.length) {
      body.acknowledged = item.acknowledged;
      body.resolution_note = item.note || "";
    }
    return body;
  }
  function messagesByField(fields) {
    var out = {};
    Object.keys(fields || {}).forEach(function (name) {
      out[name] = (fields[name] || []).map(function (entry) { return entry.message || String(entry); });
    });
    return out;
  }
  function rebase(item, fresh) {
    // Later visits queued against the same copy of the case: the change they would meet is this worker's own.
    var items = loadAll();
    items.forEach(function (other) {
      if (other.id !== item.id && other.user === user && other.caseId === item.caseId && other.status === "pending" &&
          other.base.case_version === item.base.case_version && other.base.last_visit_id === item.base.last_visit_id) {
        other.base = {case_version: fresh.case_version, last_visit_id: fresh.last_visit_id};
      }
    });
    saveAll(items);
    if (cases[item.caseId]) {
      cases[item.caseId].case_version = fresh.case_version;
      cases[item.caseId].last_visit_id = fresh.last_visit_id;
      cases[item.caseId].next_visit_due = fresh.next_visit_due;
    }
  }
  function syncOne(item) {
    update(item.id, {status: "syncing"});
    var url = app.dataset.syncUrl.replace("/0/", "/" + item.caseId + "/");
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", Accept: "application/json",
                                 "Idempotency-Key": item.key, "X-CSRFToken": csrfToken()},
                       body: JSON.stringify(payload(item))})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          var status = response.status;
          if (status === 201) {
            rebase(item, data.case || {});
            // Synced: the visit is on the server; the phone keeps only that it was sent.
            update(item.id, {status: "synced", syncedAt: new Date().toISOString(), visitId: data.visit && data.visit.id,
                             visit: {visited_on: item.visit.visited_on}, note: "", conflict: null, errors: null});
            return true;
          }
          if (status === 409 && data.code === "offline_visit_conflict") {
            update(item.id, {status: "conflict", conflict: data.data || {}, message: data.detail});
            return true;
          }
          if (status === 400 || status === 422) {
            update(item.id, {status: "error", errors: messagesByField(data.fields), message: data.detail || "提交的数据有误"});
            return true;
          }
          if (status === 404) {
            update(item.id, {status: "gone", errors: {}, message: "该个案已不在您的名下（可能已转派他人或迁出本区），无法同步。" +
                             "请将以下记录内容转交现责任经办人后删除。"});
            return true;
          }
          update(item.id, {status: "pending"});
          if (status === 401 || status === 403) { loginNeeded(true); return false; }
          return false;  // a server error, throttling, a busy key: try again later
        });
      }, function () { update(item.id, {status: "pending"}); return false; });
  }
  function sync() {
    if (syncing || !navigator.onLine) { render(); return Promise.resolve(); }
    syncing = true;
    var queue = mine().filter(function (item) { return item.status === "pending" || item.status === "syncing"; });
    var chain = Promise.resolve(true);
    queue.forEach(function (item) {
      chain = chain.then(function (goOn) {
        if (!goOn) return false;
        var current = loadAll().filter(function (i) { return i.id === item.id; })[0];  // rebased meanwhile?
        return current && (current.status === "pending" || current.status === "syncing") ? syncOne(current) : true;
      }).then(function (goOn) { render(); return goOn; });
    });
    return chain.then(function (allDone) {
      syncing = false;
      if (allDone) loginNeeded(false);
      render();
      if (queue.length && allDone) loadCases();
    }, function () { syncing = false; render(); });
  }
  $("offline-sync-now").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { render(); sync(); });
  window.addEventListener("offline", render);

  // ------------------------------------------------------------------ service worker
  function ready(text, ok) {
    var node = $("offline-ready");
    node.textContent = text;
    if (ok) app.dataset.offlineReady = "1";
  }
  var registration_ = null;
  var retried = false;
  if ("serviceWorker" in navigator) {
    var controlledAtLoad = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "precached") ready("已可离线使用：断网时仍可打开本页、选择个案并记录探访。", true);
      if (data.type === "precache-failed") {
        // The network came back only half-way (the online event can come first): keep the copies made before and
        // try once more a little later.
        if (app.dataset.offlineReady === "1") ready("已可离线使用（本机副本为上次联网时保存，稍后自动更新）。", true);
        else ready("离线准备未完成，请保持联网后刷新本页。", false);
        if (!retried && registration_) { retried = true; setTimeout(function () { precache(registration_); }, 5000); }
      }
    });
    var precache = function (registration) {
      if (!navigator.onLine) { ready("当前离线：使用本机保存的页面和个案数据。", true); return; }
      // The case list: only when the worker did not control this page as it loaded (the first visit) — then the
      // page's own fetch of it went past the worker, and the worker, claiming the page as it activates, is in control
      // by now, so the question must be asked at load time. On a controlled page every fetch of it (the load, the one
      // after a sync) passes through the worker, which keeps the newest (an older copy fetched here in parallel could
      // land after it).
      var urls = [window.location.pathname];
      if (!controlledAtLoad) urls.push(app.dataset.casesUrl);
      (performance.getEntriesByType("resource") || []).forEach(function (entry) {
        if (entry.name.indexOf(window.location.origin + "/static/") === 0) urls.push(entry.name);
      });
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (node) {
        urls.push(node.href || node.src);
      });
      registration.active.postMessage({type: "precache", urls: urls});
    };
    navigator.serviceWorker.register(app.dataset.swUrl, {scope: "/"}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      registration_ = registration;
      precache(registration);
      // Back online: refresh the phone's copies (and say so), as a fresh load would.
      window.addEventListener("online", function () { precache(registration); });
    }).catch(function () { ready("此浏览器无法离线使用本页（请使用最新版浏览器，并通过 HTTPS 访问）。", false); });
  } else {
    ready("此浏览器不支持离线使用。", false);
  }

  fillForm(null);
  render();
  loadCases().then(sync);
})();
