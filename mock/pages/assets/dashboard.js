/* refold-mock dashboard: polls the /__mock JSON API and renders tenants, linked accounts,
 * connections, webhook deliveries, the scenario timeline and the virtual clock; its buttons call
 * the same admin routes a test would. Everything is built with textContent: no value from the
 * mock is ever parsed as HTML. */
(function () {
  "use strict";

  var params = new URLSearchParams(location.search);
  var adminToken = params.get("admin_token");
  var selected = params.get("tenant") || localStorage.getItem("refold-mock-tenant") || "";
  var state = { tenants: [], now: 0 };
  var lastRender = {};
  var busy = false;

  // ---- small helpers ----
  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else if (k === "on") node.addEventListener("click", attrs[k]);
      else node.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function $(id) { return document.getElementById(id); }
  function tenant() {
    for (var i = 0; i < state.tenants.length; i++) if (state.tenants[i].id === selected) return state.tenants[i];
    return state.tenants[0];
  }
  function headers(withKey, json) {
    var h = {};
    if (adminToken) h.authorization = "Bearer " + adminToken;
    var t = tenant();
    if (withKey && t) h["x-api-key"] = t.api_key;
    if (json) h["content-type"] = "application/json";
    return h;
  }
  function call(method, path, body, withKey, extra) {
    var h = headers(withKey, body !== undefined);
    for (var k in extra || {}) h[k] = extra[k];
    return fetch(path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: res.status, data: data };
        });
      });
  }
  function showError(msg) { $("error").textContent = msg || ""; }
  function failed(what, r) {
    var m = r && r.data && r.data.message ? r.data.message : "status " + (r ? r.status : "?");
    showError(what + " failed: " + m);
  }
  function toMs(v) {
    if (v == null || v === "") return null;
    if (typeof v === "number") return v;
    var t = Date.parse(v);
    return isNaN(t) ? null : t;
  }
  function span(ms) {
    var s = Math.round(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), sec = s % 60;
    if (d) return d + "d " + h + "h";
    if (h) return h + "h " + m + "m";
    if (m) return m + "m " + sec + "s";
    return sec + "s";
  }
  function relative(v) {
    var ms = toMs(v);
    if (ms == null) return "–";
    var diff = ms - state.now;
    return diff >= 0 ? "in " + span(diff) : span(diff) + " ago";
  }
  function iso(v) {
    var ms = toMs(v);
    return ms == null ? "–" : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }
  function identifier(id) {
    if (id == null) return "–";
    if (typeof id !== "object") return String(id);
    var keys = ["email", "hub_domain", "domain", "team_name", "team", "name", "company_name", "instance_url", "account_id", "portalId", "id"];
    for (var i = 0; i < keys.length; i++) if (id[keys[i]] != null) return String(id[keys[i]]);
    return JSON.stringify(id);
  }
  function list(data, keys) {
    if (Array.isArray(data)) return data;
    for (var i = 0; data && i < keys.length; i++) if (Array.isArray(data[keys[i]])) return data[keys[i]];
    return [];
  }
  // Re-render a region only when its data changed, so buttons do not flicker under the cursor.
  function render(key, data, fn) {
    var sig = JSON.stringify(data) + "|" + selected + "|" + Math.floor(state.now / 1000);
    if (lastRender[key] === sig) return;
    lastRender[key] = sig;
    fn();
  }
  function act(button, promise, what) {
    busy = true;
    button.disabled = true;
    return promise.then(function (r) {
      if (r && r.status >= 400) failed(what, r); else showError("");
    }).catch(function (e) { showError(what + " failed: " + e.message); })
      .then(function () { busy = false; button.disabled = false; lastRender = {}; return refresh(); });
  }

  // ---- regions ----
  function renderTabs() {
    var nav = $("tabs");
    nav.textContent = "";
    state.tenants.forEach(function (t) {
      var b = el("button", { cls: "tab" + (t === tenant() ? " active" : ""), "data-testid": "tenant-" + t.api_key,
        on: function () { selected = t.id; localStorage.setItem("refold-mock-tenant", t.id); lastRender = {}; refresh(); } },
        t.org + " · " + t.environment);
      nav.appendChild(b);
    });
  }

  function stateBadge(c) {
    if (c.status === "expired") return el("span", { cls: "badge warn", title: "reauth_required: the customer must reconnect" }, "reauth required" + (c.reason ? " (" + c.reason + ")" : ""));
    return el("span", { cls: "badge ok" }, c.status || "active");
  }

  function expire(la, slug, reason) {
    return function (e) {
      act(e.target, call("POST", "linked-accounts/" + encodeURIComponent(la) + "/connections/" + encodeURIComponent(slug) + "/expire",
        { reason: reason }, true), reason === "revoked" ? "Revoke" : "Expire");
    };
  }

  function openHosted(la) {
    return function (e) {
      var win = window.open("", "_blank");
      act(e.target, call("POST", "../api/v2/public/connect-url", {}, true, { linked_account_id: la }).then(function (r) {
        if (r.status === 200 && r.data && r.data.hosted_url) { if (win) win.location = r.data.hosted_url; }
        else if (win) win.close();
        return r;
      }), "Creating a connect link");
    };
  }

  // A PAT is shown once, right after it is generated (the mock keeps only its digest).
  var freshPats = {};
  function mintPat(la) {
    return function (e) {
      act(e.target, call("POST", "linked-accounts/" + encodeURIComponent(la) + "/personal-access-token", undefined, true).then(function (r) {
        if (r.status === 201 && r.data) freshPats[la] = r.data.token;
        return r;
      }), "Generating a personal access token");
    };
  }
  function revokePat(la) {
    return function (e) {
      delete freshPats[la];
      act(e.target, call("DELETE", "linked-accounts/" + encodeURIComponent(la) + "/personal-access-token", undefined, true),
        "Revoking the personal access token");
    };
  }
  function patControls(la) {
    var pat = la.personal_access_token, id = la.linked_account_id;
    if (!pat) return el("button", { cls: "btn small", "data-testid": "pat-generate-" + id, on: mintPat(id) }, "Generate PAT");
    return el("span", {},
      freshPats[id] ? el("span", { cls: "mono", "data-testid": "pat-token-" + id, title: "copy it now: it is not shown again" }, freshPats[id])
        : el("span", { cls: "muted mono", "data-testid": "pat-hint-" + id }, "PAT …" + pat.token_hint), " ",
      el("button", { cls: "btn small danger", "data-testid": "pat-revoke-" + id, on: revokePat(id) }, "Revoke PAT"));
  }

  function renderAccounts() {
    var t = tenant(), box = $("accounts");
    box.textContent = "";
    if (!t) return;
    $("la-count").textContent = t.linked_accounts.length + " linked account" + (t.linked_accounts.length === 1 ? "" : "s");
    if (!t.linked_accounts.length) {
      box.appendChild(el("div", { cls: "empty" }, "No linked accounts yet. Create one with POST /api/v2/public/linked-account using " + t.api_key + "."));
      return;
    }
    t.linked_accounts.forEach(function (la) {
      box.appendChild(el("div", { cls: "la-head", "data-testid": "la-" + la.linked_account_id },
        el("span", { cls: "mono" }, la.linked_account_id),
        la.name ? el("span", { cls: "muted" }, la.name) : null,
        el("button", { cls: "btn small", on: openHosted(la.linked_account_id) }, "Open hosted page"),
        patControls(la)));
      if (!la.connections.length) {
        box.appendChild(el("div", { cls: "empty" }, "No connections."));
        return;
      }
      var table = el("table", {}, el("thead", {}, el("tr", {},
        el("th", {}, "App"), el("th", {}, "State"), el("th", {}, "Account"), el("th", {}, "Connected"),
        el("th", {}, "Access token"), el("th", {}, "Refresh / credential"), el("th", {}, ""))));
      var body = el("tbody");
      la.connections.forEach(function (c) {
        var refresh = c.refresh_token_expires_at != null ? c.refresh_token_expires_at : c.credential_expires_at;
        var active = c.status !== "expired";
        body.appendChild(el("tr", { "data-testid": "conn-" + la.linked_account_id + "-" + c.slug },
          el("td", {}, el("strong", {}, c.name || c.slug), el("div", { cls: "muted" }, c.auth_type || "")),
          el("td", {}, stateBadge(c)),
          el("td", { cls: "mono account", title: typeof c.identifier === "object" ? JSON.stringify(c.identifier) : "" }, identifier(c.identifier)),
          el("td", { cls: "mono", title: iso(c.connectedAt) }, relative(c.connectedAt)),
          el("td", { cls: "mono", title: iso(c.access_token_expires_at) }, c.access_token_expires_at == null ? "never" : relative(c.access_token_expires_at),
            c.refresh_count ? el("div", { cls: "muted" }, "refreshed " + c.refresh_count + "×") : null),
          el("td", { cls: "mono", title: iso(refresh) }, refresh == null ? "never" : relative(refresh)),
          el("td", {}, active ? el("span", {},
            el("button", { cls: "btn small", "data-testid": "expire-" + c.slug, on: expire(la.linked_account_id, c.slug, "expired") }, "Expire"), " ",
            el("button", { cls: "btn small danger", "data-testid": "revoke-" + c.slug, on: expire(la.linked_account_id, c.slug, "revoked") }, "Revoke"))
            : el("span", { cls: "muted" }, "customer must reconnect"))));
      });
      table.appendChild(body);
      box.appendChild(table);
    });
  }

  function renderDeliveries(r) {
    var box = $("deliveries");
    box.textContent = "";
    if (!r || r.status === 501) { box.appendChild(el("div", { cls: "unavailable" }, "Webhook deliveries are not available in this build.")); return; }
    if (r.status >= 400) { box.appendChild(el("div", { cls: "err-line" }, (r.data && r.data.message) || "status " + r.status)); return; }
    var rows = list(r.data, ["deliveries", "docs", "data"]);
    $("delivery-count").textContent = rows.length ? rows.length + "" : "";
    if (!rows.length) { box.appendChild(el("div", { cls: "empty" }, "No events emitted yet. Register a webhook with POST /api/v2/public/webhook.")); return; }
    var table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Event"), el("th", {}, "State"), el("th", {}, "Attempts"))));
    // newest first: the presenter wants to see what just happened
    var body = el("tbody");
    rows.slice().reverse().slice(0, 50).forEach(function (d) {
      var payload = d.payload || d.body || {};
      var attempts = list(d.attempts, []);
      var st = d.state || d.status || (d.delivered ? "delivered" : "pending");
      var cls = /deliver|success|ok/i.test(st) ? "ok" : /fail|dead|error|gave/i.test(st) ? "err" : "idle";
      var ul = el("ul", { cls: "attempts" });
      attempts.forEach(function (a) {
        var code = a.status_code != null ? a.status_code : a.status != null ? a.status : a.error || "no answer";
        ul.appendChild(el("li", {}, iso(a.at || a.time || a.sent_at) + " → " + code + (a.error && a.status_code != null ? " (" + a.error + ")" : "")));
      });
      body.appendChild(el("tr", {},
        el("td", {}, el("strong", {}, d.event || payload.event || "?"),
          el("div", { cls: "muted mono" }, [d.linked_account_id || payload.linked_account_id, d.slug || payload.slug].filter(Boolean).join(" · ")),
          el("div", { cls: "muted mono" }, d.url || ""),
          el("div", { cls: "muted" }, iso(d.created_at))),
        el("td", {}, el("span", { cls: "badge " + cls }, st),
          d.next_attempt_at ? el("div", { cls: "muted" }, toMs(d.next_attempt_at) > state.now ? "next try " + relative(d.next_attempt_at) : "next try due") : null),
        el("td", {}, attempts.length + "", attempts.length ? ul : null)));
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  function renderMcpLogs(r) {
    var box = $("mcp-logs");
    box.textContent = "";
    if (!r || r.status >= 400) { box.appendChild(el("div", { cls: "err-line" }, (r && r.data && r.data.message) || "MCP logs unavailable")); return; }
    var rows = list(r.data, ["logs"]);
    $("mcp-count").textContent = rows.length ? rows.length + "" : "";
    if (!rows.length) { box.appendChild(el("div", { cls: "empty" }, "No MCP tool calls yet. Point an agent at /mcp/v1/<PAT>/<server_id>.")); return; }
    var table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Tool"), el("th", {}, "Status"), el("th", {}, "Linked account"), el("th", {}, "ms"))));
    var body = el("tbody");
    rows.slice().reverse().forEach(function (x) {
      var ok = x.status === "success";
      body.appendChild(el("tr", { "data-testid": "mcp-log" },
        el("td", { title: JSON.stringify(x.request) }, el("strong", {}, x.tool), x.application ? el("div", { cls: "muted mono" }, x.application + " · " + (x.action || "")) : null),
        el("td", { title: JSON.stringify(x.response) }, el("span", { cls: "badge " + (ok ? "ok" : "warn") }, x.status)),
        el("td", { cls: "mono" }, (x.identity && x.identity.linkedAccount) || ""),
        el("td", { cls: "mono" }, x.durationMs != null ? x.durationMs.toFixed(1) : "")));
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  function fireStep(name) {
    return function (e) { act(e.target, call("POST", "scenario/steps/" + encodeURIComponent(name), {}, true), "Firing " + name); };
  }

  function whenText(st) {
    var w = st.when || {};
    if (st.trigger === "manual") return "manual";
    if (st.trigger === "after_seconds" && w.after_seconds != null) return "+" + span(w.after_seconds * 1000);
    if (st.trigger === "after_requests") return "after " + (w.count || st.count || "?") + " req";
    return st.trigger || "";
  }

  function renderScenario(r) {
    var box = $("scenario");
    box.textContent = "";
    $("scenario-name").textContent = "";
    if (!r || r.status === 501) { box.appendChild(el("div", { cls: "unavailable" }, "The scenario engine is not available in this build.")); return; }
    if (r.status >= 400) { box.appendChild(el("div", { cls: "err-line" }, (r.data && r.data.message) || "status " + r.status)); return; }
    var s = r.data || {};
    var steps = list(s.steps, []);
    if (!s.loaded) { box.appendChild(el("div", { cls: "empty" }, "No scenario loaded. Start the mock with --scenario NAME or POST /__mock/scenario {\"name\": NAME}.")); return; }
    $("scenario-name").textContent = s.name + " · " + (s.org || "") + " " + (s.environment || "") + (s.finished ? " · finished" : "");
    if (s.description) box.appendChild(el("p", { cls: "muted" }, s.description));
    steps.forEach(function (st) {
      var fired = st.state === "fired", armed = st.state === "armed";
      var detail = fired ? "fired " + relative(st.fired_at) : armed ? "next: waits for " + (st.waits_for || "") : null;
      box.appendChild(el("div", { cls: "step" + (armed ? " next" : ""), "data-testid": "step-" + st.name, "data-state": st.state },
        el("span", { cls: "when" }, whenText(st)),
        el("span", { cls: "what" }, el("strong", {}, st.name),
          st.description ? el("div", { cls: "muted" }, st.description) : null,
          detail ? el("div", { cls: "muted mono" }, detail) : null),
        el("span", { cls: "badge " + (fired ? "ok" : armed ? "warn" : "idle") }, fired ? "done" : armed ? "next" : "pending"),
        st.trigger === "manual" && armed ? el("button", { cls: "btn small primary", "data-testid": "fire-" + st.name, on: fireStep(st.name) }, "Fire") : null));
    });
  }

  // ---- polling ----
  function refresh() {
    if (busy) return Promise.resolve();
    return Promise.all([
      call("GET", "tenants"),
      call("GET", "clock"),
    ]).then(function (res) {
      var tr = res[0], cr = res[1];
      if (tr.status !== 200) { failed("Reading tenants", tr); return; }
      state.tenants = tr.data.tenants || [];
      state.now = tr.data.now_ms;
      if (!tenant()) return;
      if (!selected) selected = tenant().id;
      if (cr.status === 200) {
        $("clock").textContent = iso(cr.data.now_ms);
        $("clock-mode").textContent = cr.data.mode || "";
      }
      render("tabs", state.tenants.map(function (t) { return t.id; }), renderTabs);
      render("accounts", tenant(), renderAccounts);
      return Promise.all([
        call("GET", "webhooks/deliveries", undefined, true).catch(function () { return null; }),
        call("GET", "scenario", undefined, true).catch(function () { return null; }),
        call("GET", "mcp/logs?limit=50", undefined, true).catch(function () { return null; }),
      ]).then(function (more) {
        render("mcp", more[2] && more[2].data, function () { renderMcpLogs(more[2]); });
        render("deliveries", more[0] && more[0].data, function () { renderDeliveries(more[0]); });
        render("scenario", more[1] && more[1].data, function () { renderScenario(more[1]); });
      });
    }).catch(function (e) { showError("The mock did not answer: " + e.message); });
  }

  function advance(seconds, button) {
    act(button, call("POST", "clock/advance", { seconds: seconds }), "Advancing the clock");
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-advance]"), function (b) {
    b.addEventListener("click", function () { advance(Number(b.getAttribute("data-advance")), b); });
  });
  $("advance-custom").addEventListener("click", function (e) {
    var v = Number($("advance-seconds").value);
    if (!(v >= 0)) { showError("Enter a number of seconds."); return; }
    advance(v, e.target);
  });
  $("reset-tenant").addEventListener("click", function (e) {
    var t = tenant();
    if (t && confirm("Reset " + t.org + " · " + t.environment + " to its fixtures?")) act(e.target, call("POST", "reset", {}, true), "Reset");
  });
  $("reset-all").addEventListener("click", function (e) {
    if (confirm("Reset every tenant to its fixtures?")) act(e.target, call("POST", "reset", {}), "Reset");
  });

  refresh();
  setInterval(refresh, 1500);
})();
