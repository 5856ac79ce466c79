// sdk.test.js: the real frontend SDK, @cobaltio/cobalt-js 8.0.0 as installed from npm, driven in
// Node against a running refold-mock (REFOLD_MOCK_URL): apps and their state, key-based connect,
// expiry and reconnect, disconnect, OAuth through the consent page, configs, errors, and the
// Connection Created webhook that a connect made through the SDK sends.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { Cobalt } = require("@cobaltio/cobalt-js");

const BASE = process.env.REFOLD_MOCK_URL;
const KEY = "tk_acme_test";
if (!BASE) throw new Error("REFOLD_MOCK_URL is not set (run tests/sdk/run.sh)");

// The public and admin API, with the org's API key (what a product's backend does).
async function api(method, path, { la, body, key = KEY } = {}) {
  const headers = { "x-api-key": key };
  if (la) headers.linked_account_id = la;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, statusText: res.statusText, body: text ? JSON.parse(text) : null };
}

// A customer of the product: a linked account and an SDK holding its session token.
async function customer(id) {
  let r = await api("POST", "/api/v2/public/linked-account", { body: { linked_account_id: id, name: `Customer ${id}` } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api("POST", "/api/v2/public/session-token?force_refresh=true", { body: { linked_account_id: id } });
  assert.equal(r.status, 200);
  return new Cobalt({ baseUrl: BASE, token: r.body.token });
}

async function publicApp(la, slug) {
  const r = await api("GET", `/api/v2/public/application/${slug}`, { la });
  assert.equal(r.status, 200);
  return r.body;
}

// A webhook receiver on loopback: every request it gets, parsed.
let receiver, received = [];
before(async () => {
  receiver = http.createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      try { received.push({ headers: req.headers, body: JSON.parse(data) }); } catch { received.push({ headers: req.headers, body: data }); }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
after(() => receiver.close());

// a bounded poll around a condition (a webhook received, a state reached): what it awaits has no event here
async function waitFor(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("getApp lists the catalogue with each app's state and auth fields", async () => {
  const cobalt = await customer("sdk_catalogue");
  const apps = await cobalt.getApp();
  assert.ok(Array.isArray(apps));
  const slugs = apps.map((a) => a.slug);
  for (const s of ["hubspot", "slack", "salesforce", "pipedrive", "twilio", "netsuite", "playground_app"]) assert.ok(slugs.includes(s), s);
  const hubspot = apps.find((a) => a.slug === "hubspot");
  assert.equal(hubspot.auth_type, "oauth2");
  assert.equal(hubspot.connected, false);
  assert.equal(hubspot.reauth_required, false);
  const twilio = await cobalt.getApp("twilio");
  assert.equal(twilio.auth_type, "keybased");
  assert.deepEqual(twilio.auth_input_map.map((f) => [f.name, f.required]), [["sid", true], ["number", true]]);
  const account = await cobalt.getAccountDetails();
  assert.equal(account.name, "Acme");
  assert.equal(account.customer.linked_account_id, "sdk_catalogue");
});

test("errors reject with the HTTP reason phrase, as the SDK throws statusText", async () => {
  const cobalt = await customer("sdk_errors");
  await assert.rejects(cobalt.getApp("no_such_app"), { message: "Not Found" });
  await assert.rejects(new Cobalt({ baseUrl: BASE, token: "not-a-token" }).getApp(), { message: "Unauthorized" });
  await assert.rejects(cobalt.getConfig("hubspot", "never_made"), { message: "Not Found" });
  // A revoked session token stops working at once.
  const r = await fetch(BASE + "/api/v2/public/session-token/revoke", { method: "POST", headers: { authorization: `Bearer ${cobalt.token}` } });
  assert.equal(r.status, 200);
  await assert.rejects(cobalt.getApp("twilio"), { message: "Unauthorized" });
});

test("key-based connect, expiry, reconnect and disconnect, seen through the API key too", async () => {
  const la = "sdk_keybased";
  const cobalt = await customer(la);
  let r = await api("POST", "/api/v2/public/webhook", {
    body: { webhook_url: `http://127.0.0.1:${receiver.address().port}/hooks`, webhook_events: ["Connection Created", "Connection Expired", "Connection Deleted"] },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));

  // A missing required field is refused and changes nothing.
  await assert.rejects(cobalt.connect("twilio", { sid: "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f" }), { message: "Bad Request" });
  assert.equal((await cobalt.getApp("twilio")).connected, false);

  const creds = { sid: "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f", number: "+14155550123" };
  assert.equal(await cobalt.connect("twilio", creds), true);
  let app = await cobalt.getApp("twilio");
  assert.equal(app.connected, true);
  assert.equal(app.reauth_required, false);
  const pub = await publicApp(la, "twilio");
  assert.equal(pub.connected, true);
  assert.equal(pub.connected_accounts[0].identifier, creds.sid);
  const created = await waitFor("Connection Created", () =>
    received.find((x) => x.body.event === "Connection Created" && x.body.linked_account_id === la && x.body.slug === "twilio"));
  assert.equal(created.body.org_id, "645270e37917442c4307297a");

  // The credentials are revoked at the provider: reauth_required, and a Connection Expired webhook.
  r = await api("POST", `/__mock/linked-accounts/${la}/connections/twilio/expire`, { body: { reason: "revoked" } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  app = await cobalt.getApp("twilio");
  assert.equal(app.connected, true);
  assert.equal(app.reauth_required, true);
  await waitFor("Connection Expired", () => received.find((x) => x.body.event === "Connection Expired" && x.body.linked_account_id === la));

  // Reconnecting is connect() again.
  assert.equal(await cobalt.connect("twilio", creds), true);
  app = await cobalt.getApp("twilio");
  assert.equal(app.reauth_required, false);
  assert.equal((await publicApp(la, "twilio")).reauth_required, false);

  await cobalt.disconnect("twilio");
  assert.equal((await cobalt.getApp("twilio")).connected, false);
  assert.notEqual((await publicApp(la, "twilio")).connected, true);
  await waitFor("Connection Deleted", () => received.find((x) => x.body.event === "Connection Deleted" && x.body.linked_account_id === la));
});

test("a connection made through the API key shows in the SDK", async () => {
  const la = "sdk_vice_versa";
  const cobalt = await customer(la);
  const r = await api("PUT", "/api/v2/public/linked-account/integration/save-key-credentials/playground_app", {
    la, body: { api_key: "pg_test_4f9a2c71e8" },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const app = await cobalt.getApp("playground_app");
  assert.equal(app.connected, true);
  assert.equal(app.reauth_required, false);
});

test("OAuth: the integrate URL opens a consent page whose Approve connects the app", async () => {
  const la = "sdk_oauth";
  const cobalt = await customer(la);
  const authUrl = await cobalt.getOAuthUrl("hubspot"); // what connect() opens in a popup
  assert.ok(authUrl.startsWith(`${BASE}/oauth/hubspot/authorize?`), authUrl);
  const page = await fetch(authUrl);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("cross-origin-opener-policy"), null);
  const html = await page.text();
  assert.match(html, /Acme wants to access your HubSpot account/);
  assert.match(html, /data-testid="approve"/);
  const state = new URL(authUrl).searchParams.get("state");
  const answer = await fetch(`${BASE}/oauth/hubspot/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ state, decision: "approve", popup: "1" }),
  });
  assert.equal(answer.status, 200);
  const app = await cobalt.getApp("hubspot");
  assert.equal(app.connected, true);
  assert.equal(app.reauth_required, false);
  assert.equal((await publicApp(la, "hubspot")).connected_accounts[0].identifier.portalId, 12345678);
  // A key-based-only app has no OAuth URL.
  await assert.rejects(cobalt.getOAuthUrl("twilio"), { message: "Bad Request" });
});

test("config, updateConfig, getConfig and deleteConfig work on the same configs as the API", async () => {
  const la = "sdk_config";
  const cobalt = await customer(la);
  const cfg = await cobalt.config({ slug: "hubspot", labels: [] });
  assert.equal(cfg.slug, "hubspot");
  assert.equal(cfg.config_id, la);
  const pipeline = cfg.fields.find((f) => f.name === "Deal pipeline");
  assert.ok(pipeline, JSON.stringify(cfg.fields.map((f) => f.name)));
  const wf = cfg.workflows[0];
  assert.ok(wf && wf.id);

  const updated = await cobalt.updateConfig({
    slug: "hubspot", fields: { [pipeline.id]: "7581443" }, workflows: [{ id: wf.id, enabled: true, fields: {} }],
  });
  assert.equal(updated.fields.find((f) => f.id === pipeline.id).value, "7581443");
  assert.equal(updated.workflows.find((w) => w.id === wf.id).enabled, true);

  const again = await cobalt.getConfig("hubspot");
  assert.equal(again.fields.find((f) => f.id === pipeline.id).value, "7581443");
  const viaKey = await api("GET", "/api/v2/public/slug/hubspot/config", { la });
  assert.equal(viaKey.status, 200, JSON.stringify(viaKey.body));
  assert.equal(viaKey.body.fields.find((f) => f.id === pipeline.id).value, "7581443");

  // A bad value is refused with the reason phrase.
  await assert.rejects(cobalt.updateConfig({ slug: "hubspot", fields: { [pipeline.id]: "no-such-pipeline" }, workflows: [] }),
    { message: "Bad Request" });

  const deleted = await cobalt.deleteConfig("hubspot");
  assert.equal(typeof deleted, "object");
  await assert.rejects(cobalt.getConfig("hubspot"), { message: "Not Found" });
});
