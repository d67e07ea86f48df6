/* wushe — visits without a signal (the offline visit page, wushe/visits/offline_views.py).
 *
 * The worker's records wait in IndexedDB ("wushe-offline", store "queue"), each with a key made
 * here (crypto.randomUUID) that the server keeps, so sending an item twice records it once. They
 * are sent when the network returns (the "online" event), when the page loads, every half minute
 * while some wait, and on the button. A need's status change names the version the worker saw;
 * a 409 shows both values and waits for the worker's choice. What is kept is the least needed:
 * households and needs with masked names (no ID number, no phone); the logout clears it all. */
(function () {
  "use strict";

  var root = document.getElementById("offline-app");
  if (!root) { return; }
  var DB_NAME = "wushe-offline";
  var STORE = "queue";
  var PENDING_KEY = "wushe-offline-pending"; // a count only, for the logout's warning
  var texts = {};
  var tpl = document.getElementById("offline-text");
  if (tpl) {
    tpl.content.querySelectorAll("[data-k]").forEach(function (el) { texts[el.getAttribute("data-k")] = el.textContent; });
  }
  function t(key, values) {
    var s = texts[key] || key;
    Object.keys(values || {}).forEach(function (k) { s = s.split("%(" + k + ")s").join(String(values[k])); });
    return s;
  }

  var data = { households: [], needs: [] };
  var banner = document.getElementById("offline-banner");
  var queueStatus = document.getElementById("queue-status");
  var queueList = document.getElementById("queue-list");
  var conflicts = document.getElementById("conflicts");
  var conflictList = document.getElementById("conflict-list");
  var needsList = document.getElementById("needs-list");
  var form = document.getElementById("offline-visit");
  var formError = document.getElementById("offline-visit-error");
  var syncing = false;
  var notice = ""; // said once with the queue's count (saved, sent, sign in again)

  // ---- the service worker ----------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: root.getAttribute("data-scope") })
      .catch(function () { /* the page still works online without it */ });
  }

  // ---- IndexedDB: the queue ---------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var store = t.objectStore(STORE);
        var result = work(store);
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function allItems() {
    return tx("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }
  function putItem(item) { return tx("readwrite", function (store) { store.put(item); }); }
  function deleteItem(key) { return tx("readwrite", function (store) { store["delete"](key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // ---- online / offline -------------------------------------------------------------------
  function showOffline(offline) { banner.hidden = !offline; }
  window.addEventListener("offline", function () { showOffline(true); });
  window.addEventListener("online", function () { showOffline(false); sync(); });

  // ---- the worker's data (households, needs) ------------------------------------------------
  function loadData() {
    return fetch(root.getAttribute("data-data"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok || r.redirected) { throw new Error("status " + r.status); }
        return r.json();
      })
      .then(function (d) { data = d; render(); })
      .catch(function () {
        showOffline(true);
        render();
      });
  }

  function householdLabel(h) {
    return [h.head, h.address || h.region].filter(Boolean).join(" · ") + " (" + h.region + ")";
  }

  function render() {
    var select = document.getElementById("offline-household");
    var chosen = select.value;
    while (select.options.length > 1) { select.remove(1); }
    data.households.forEach(function (h) {
      var o = document.createElement("option");
      o.value = String(h.id);
      o.textContent = householdLabel(h);
      select.appendChild(o);
    });
    select.value = chosen;
    if (!data.households.length && !data.needs.length) { notice = t("nodata"); }
    renderNeeds();
    refreshQueue();
  }

  function field(label, control) {
    var wrap = document.createElement("div");
    wrap.className = "mb-2";
    var l = document.createElement("label");
    l.className = "form-label";
    l.htmlFor = control.id;
    l.textContent = label;
    wrap.appendChild(l);
    wrap.appendChild(control);
    return wrap;
  }

  function renderNeeds() {
    needsList.textContent = "";
    document.getElementById("needs-empty").hidden = data.needs.length > 0;
    data.needs.forEach(function (n) {
      var li = document.createElement("li");
      li.className = "card card-body mb-2";
      li.setAttribute("data-need", String(n.id));
      var title = document.createElement("h3");
      title.className = "h6 mb-1";
      title.textContent = n.category + "：" + n.description;
      li.appendChild(title);
      var meta = document.createElement("p");
      meta.className = "mb-2 small";
      meta.textContent = [n.subject, t("now") + n.status_label].filter(Boolean).join(" · ");
      li.appendChild(meta);
      var f = document.createElement("form");
      f.noValidate = true;
      var sel = document.createElement("select");
      sel.className = "form-select";
      sel.id = "need-" + n.id + "-status";
      var first = document.createElement("option");
      first.value = "";
      first.textContent = t("choose");
      sel.appendChild(first);
      n.next.forEach(function (s) {
        var o = document.createElement("option");
        o.value = s.value;
        o.textContent = s.label;
        sel.appendChild(o);
      });
      f.appendChild(field(t("status"), sel));
      var note = document.createElement("input");
      note.className = "form-control";
      note.id = "need-" + n.id + "-note";
      note.maxLength = 300;
      f.appendChild(field(t("note"), note));
      var reason = document.createElement("input");
      reason.className = "form-control";
      reason.id = "need-" + n.id + "-unmet";
      reason.maxLength = 300;
      f.appendChild(field(t("unmet"), reason));
      var btn = document.createElement("button");
      btn.type = "submit";
      btn.className = "btn btn-outline-primary";
      btn.textContent = t("save");
      f.appendChild(btn);
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        if (!sel.value) { sel.focus(); return; }
        var label = sel.options[sel.selectedIndex].textContent;
        queue({
          kind: "need_status",
          url: root.getAttribute("data-api") + "offline/needs/" + n.id + "/status",
          label: t("change") + "：" + n.category + "：" + n.description + " → " + label,
          need: { id: n.id, name: n.category + "：" + n.description, base_label: n.status_label, yours_label: label },
          body: {
            to_status: sel.value,
            base_version: n.version,
            base_status: n.status,
            note: note.value.trim(),
            unmet_reason: reason.value.trim()
          }
        }).then(function () { f.reset(); });
      });
      li.appendChild(f);
      needsList.appendChild(li);
    });
  }

  // ---- the visit form -------------------------------------------------------------------------
  function value(name) {
    var el = form.elements.namedItem(name);
    return el && "value" in el ? String(el.value).trim() : "";
  }
  function number(name) {
    var n = parseInt(value(name), 10);
    return isNaN(n) ? 0 : n;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    formError.textContent = "";
    var household = value("household");
    if (!household) { formError.textContent = t("household"); form.elements.namedItem("household").focus(); return; }
    var reached = (form.querySelector("input[name=reached]:checked") || {}).value !== "0";
    if (!reached && !value("not_reached_reason")) {
      formError.textContent = t("reason");
      form.elements.namedItem("not_reached_reason").focus();
      return;
    }
    var needs = [];
    form.querySelectorAll("[data-need-row]").forEach(function (row) {
      var cat = row.querySelector("select[name$=category]").value;
      var desc = row.querySelector("input[name$=description]").value.trim();
      var urgency = row.querySelector("select[name$=urgency]").value;
      if (cat || desc) { needs.push({ category: cat, description: desc, urgency: urgency }); }
    });
    var problems = [];
    form.querySelectorAll("[data-problem-row] input").forEach(function (input) {
      if (input.value.trim()) { problems.push({ description: input.value.trim() }); }
    });
    var services = [];
    form.querySelectorAll("input[name=services_done]:checked").forEach(function (c) { services.push(c.value); });
    var h = data.households.filter(function (x) { return String(x.id) === household; })[0];
    var day = value("visited_on");
    queue({
      kind: "visit",
      url: root.getAttribute("data-visits"),
      label: t("visit") + "：" + (h ? householdLabel(h) : household) + " " + day,
      body: {
        household: parseInt(household, 10),
        visited_on: day,
        channel: value("channel"),
        volunteers: value("volunteers"),
        reached: reached,
        not_reached_reason: value("not_reached_reason"),
        services_done: services,
        services_note: value("services_note"),
        policies_explained: number("policies_explained"),
        policies_note: value("policies_note"),
        leaflets: number("leaflets"),
        emotional_support: value("emotional_support"),
        mood: value("mood"),
        key_problem: value("key_problem"),
        plan: value("plan"),
        resident_words: value("resident_words"),
        needs: needs,
        problems: problems
      }
    }).then(function () {
      form.reset();
      form.elements.namedItem("visited_on").value = day;
    });
  });

  // ---- the queue ----------------------------------------------------------------------------
  function queue(item) {
    item.key = newKey();
    item.body.key = item.key;
    item.created = new Date().toISOString();
    item.state = "queued";
    return putItem(item).then(function () {
      notice = t("saved");
      return refreshQueue();
    }).then(function () { sync(); });
  }

  function refreshQueue() {
    return allItems().then(function (items) {
      var waiting = items.filter(function (i) { return i.state !== "conflict"; });
      try { localStorage.setItem(PENDING_KEY, String(items.length)); } catch (e) { /* private mode */ }
      queueList.textContent = "";
      waiting.forEach(function (i) {
        var li = document.createElement("li");
        li.className = "mb-1";
        li.textContent = i.label;
        if (i.state === "error") {
          var err = document.createElement("div");
          err.className = "text-danger small";
          err.textContent = t("error") + i.error;
          li.appendChild(err);
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "btn btn-sm btn-outline-danger";
          drop.textContent = t("discard");
          drop.addEventListener("click", function () { deleteItem(i.key).then(refreshQueue); });
          li.appendChild(drop);
        }
        queueList.appendChild(li);
      });
      var count = waiting.length ? t("queued", { n: waiting.length }) : t("empty");
      queueStatus.textContent = notice ? notice + " " + count : count;
      notice = "";
      renderConflicts(items.filter(function (i) { return i.state === "conflict"; }));
      return items;
    });
  }

  function renderConflicts(items) {
    conflicts.hidden = items.length === 0;
    conflictList.textContent = "";
    items.forEach(function (i) {
      var li = document.createElement("li");
      li.className = "mb-3";
      li.setAttribute("data-conflict", String(i.need.id));
      var p = document.createElement("p");
      p.className = "mb-2";
      p.textContent = t("conflict", {
        need: i.need.name, yours: i.need.yours_label, base: i.need.base_label, server: i.conflict.server_label
      });
      li.appendChild(p);
      var keep = document.createElement("button");
      keep.type = "button";
      keep.className = "btn btn-primary me-2 mb-1";
      keep.textContent = t("keep");
      keep.addEventListener("click", function () {
        // resubmit on the server's version: the worker has seen the server's value
        i.body.base_version = i.conflict.version;
        i.body.base_status = i.conflict.server;
        i.need.base_label = i.conflict.server_label;
        i.state = "queued";
        delete i.conflict;
        putItem(i).then(refreshQueue).then(sync);
      });
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-outline-secondary mb-1";
      drop.textContent = t("drop");
      drop.addEventListener("click", function () { deleteItem(i.key).then(refreshQueue).then(loadData); });
      li.appendChild(keep);
      li.appendChild(drop);
      conflictList.appendChild(li);
    });
  }

  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item.body)
    });
  }

  function detail(body) {
    if (!body || !body.detail) { return ""; }
    if (typeof body.detail === "string") { return body.detail; }
    return body.detail.map(function (d) { return (d.field ? d.field + ": " : "") + d.msg; }).join("；");
  }

  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    var sent = 0;
    var stop = false;
    return allItems().then(function (items) {
      var todo = items.filter(function (i) { return i.state === "queued"; });
      return todo.reduce(function (chain, item) {
        return chain.then(function () {
          if (stop) { return null; }
          return send(item).then(function (r) {
            if (r.status === 200 || r.status === 201) { sent += 1; return deleteItem(item.key); }
            if (r.status === 409) {
              return r.json().then(function (c) { item.state = "conflict"; item.conflict = c; return putItem(item); });
            }
            if (r.status === 401 || r.redirected) { stop = true; notice = t("login"); return null; }
            if (r.status === 403 && !csrfToken()) { stop = true; notice = t("login"); return null; }
            if (r.status >= 400 && r.status < 500) {
              return r.json().catch(function () { return {}; }).then(function (body) {
                item.state = "error";
                item.error = detail(body) || String(r.status);
                return putItem(item);
              });
            }
            stop = true; // a server error: try again later
            return null;
          }, function () {
            stop = true; // no network
            showOffline(true);
            return null;
          });
        });
      }, Promise.resolve());
    }).then(function () {
      syncing = false;
      if (sent) {
        notice = t("sent", { n: sent });
        showOffline(false);
        return loadData();
      }
      return refreshQueue();
    }, function () { syncing = false; });
  }

  document.getElementById("queue-send").addEventListener("click", function () { sync(); });
  setInterval(function () { if (navigator.onLine) { sync(); } }, 30000);
  showOffline(!navigator.onLine);
  loadData().then(sync);
})();
