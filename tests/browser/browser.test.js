// browser.test.js: a person's path through refold-mock in Debian's Chromium (playwright-core, no
// browser download): the hosted connect page (key-based form, OAuth consent, deny, reconnect
// after a revocation), the real @cobaltio/cobalt-js OAuth popup flow from a product page on
// another origin, and the dashboard. Screenshots of each page land in tests/out/browser/.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { chromium } = require("playwright-core");

const BASE = process.env.REFOLD_MOCK_URL;
const KEY = "tk_acme_test";
const SHOTS = path.resolve(__dirname, "../out/browser");
if (!BASE) throw new Error("REFOLD_MOCK_URL is not set (run tests/browser/run.sh)");

let browser, product, productUrl;

async function api(method, p, { la, body, key = KEY } = {}) {
  const headers = { "x-api-key": key };
  if (la) headers.linked_account_id = la;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(BASE + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function linkedAccount(id, name) {
  const r = await api("POST", "/api/v2/public/linked-account", { body: { linked_account_id: id, name } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function appState(la, slug) {
  const r = await api("GET", `/api/v2/public/application/${slug}`, { la });
  assert.equal(r.status, 200);
  return !r.body.connected ? "none" : r.body.reauth_required ? "reauth" : "active";
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // The product's page lives on its own origin, as a customer's app would.
  const files = {
    "/": [path.join(__dirname, "product/index.html"), "text/html"],
    "/product.js": [path.join(__dirname, "product/product.js"), "text/javascript"],
    "/cobalt.js": [require.resolve("@cobaltio/cobalt-js"), "text/javascript"],
  };
  product = http.createServer((req, res) => {
    const f = files[new URL(req.url, "http://x").pathname];
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": f[1] }).end(fs.readFileSync(f[0]));
  });
  await new Promise((resolve) => product.listen(0, "127.0.0.1", resolve));
  productUrl = `http://127.0.0.1:${product.address().port}`;
  // playwright-core drives the Debian package; launch() gives it a fresh temporary profile.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (product) product.close();
});

test("hosted page: key-based connect, OAuth consent, deny, reconnect after a revocation", { timeout: 60000 }, async () => {
  const la = "browser_hosted";
  await linkedAccount(la, "Initech");
  const r = await api("POST", "/api/v2/public/connect-url", {
    la, body: { name: "Northwind CRM", base_color: "#0f3d3e", button_color: "#e4572e" },
  });
  assert.equal(r.status, 200);
  const hosted = r.body.hosted_url;
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const failures = [];
  page.on("requestfailed", (req) => failures.push(req.url()));
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));

  await page.goto(hosted);
  await page.waitForSelector('[data-testid="connect-twilio"]');
  assert.equal(await page.locator(".brand-name").textContent(), "Northwind CRM");
  assert.equal(await page.locator('[data-testid="connect-twilio"]').evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(228, 87, 46)");
  await shot(page, "01-hosted-apps");

  // Key-based: the form checks required fields in the page before anything is sent.
  await page.click('[data-testid="connect-twilio"]');
  await page.waitForSelector('input[name="sid"]');
  assert.equal(await page.getAttribute('input[name="number"]', "placeholder"), "E.164 format, e.g. +14155550123");
  await shot(page, "02-keybased-form");
  const formUrl = page.url();
  await page.fill('input[name="sid"]', "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f");
  await page.click('[data-testid="submit"]');
  // the page's refusal, awaited (not a fixed wait): the missing field is marked invalid
  await page.waitForSelector('.field.invalid input[name="number"]');
  assert.equal(page.url(), formUrl, "an incomplete form must not be sent");
  assert.equal(await page.locator('input[name="number"]').evaluate((i) => i.validity.valid), false);
  assert.equal(await appState(la, "twilio"), "none");
  // Whitespace is not a value: the page says so next to the field.
  await page.fill('input[name="number"]', "   ");
  await page.click('[data-testid="submit"]');
  await page.waitForSelector('.field.invalid input[name="number"]');
  assert.equal(page.url(), formUrl);
  assert.match(await page.locator(".field.invalid .field-error").first().textContent(), /required/);
  await shot(page, "03-keybased-form-invalid");
  await page.fill('input[name="number"]', "+14155550123");
  await Promise.all([page.waitForURL(/\?connected=twilio$/), page.click('[data-testid="submit"]')]);
  await page.waitForSelector('[data-testid="connected-twilio"]');
  assert.equal(await appState(la, "twilio"), "active");
  assert.match(await page.locator('[data-testid="identifier-twilio"]').textContent(), /ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f/);

  // OAuth, denied: nothing changes.
  await page.click('[data-testid="connect-hubspot"]');
  await page.waitForSelector('[data-testid="approve"]');
  assert.equal(await page.locator('[data-testid="consent-title"]').textContent(), "Acme wants to access your HubSpot account");
  await shot(page, "04-oauth-consent");
  await Promise.all([page.waitForURL(/\?denied=hubspot$/), page.click('[data-testid="deny"]')]);
  assert.match(await page.locator('[data-testid="notice"]').textContent(), /access was denied/);
  await page.waitForSelector('[data-testid="connect-hubspot"]');
  assert.equal(await appState(la, "hubspot"), "none");

  // OAuth, approved.
  await page.click('[data-testid="connect-hubspot"]');
  await Promise.all([page.waitForURL(/\?connected=hubspot$/), page.click('[data-testid="approve"]')]);
  await page.waitForSelector('[data-testid="connected-hubspot"]');
  assert.equal(await appState(la, "hubspot"), "active");
  await shot(page, "05-hosted-connected");

  // The token is revoked: the page offers Reconnect, and consent restores the connection.
  const ex = await api("POST", `/__mock/linked-accounts/${la}/connections/hubspot/expire`, { body: { reason: "revoked" } });
  assert.equal(ex.status, 200, JSON.stringify(ex.body));
  await page.reload();
  await page.waitForSelector('[data-testid="reconnect-hubspot"]');
  assert.equal(await appState(la, "hubspot"), "reauth");
  await shot(page, "06-hosted-reconnect");
  await page.click('[data-testid="reconnect-hubspot"]');
  await page.waitForSelector('[data-testid="approve"]');
  assert.match(await page.content(), /lost access to this account \(revoked\)/);
  await shot(page, "07-oauth-consent-reconnect");
  await Promise.all([page.waitForURL(/\?connected=hubspot$/), page.click('[data-testid="approve"]')]);
  await page.waitForSelector('[data-testid="connected-hubspot"]');
  assert.equal(await appState(la, "hubspot"), "active");

  // An unknown link gets a page that says so.
  const bad = await page.goto(`${BASE}/connect/ffffffffffffffffffffffffffffffff`);
  assert.equal(bad.status(), 404);
  assert.match(await page.locator("h1").textContent(), /not valid/);
  await shot(page, "08-hosted-bad-link");
  assert.deepEqual(failures, [], "every asset comes from the mock and loads");
  await page.close();
});

test("SDK in a product page: cobalt.connect('hubspot') resolves true after Approve in its popup", { timeout: 60000 }, async () => {
  const la = "browser_sdk";
  await linkedAccount(la, "Umbrella Health");
  const t = await api("POST", "/api/v2/public/session-token", { body: { linked_account_id: la } });
  assert.equal(t.status, 200);
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${productUrl}/?base=${encodeURIComponent(BASE)}&token=${encodeURIComponent(t.body.token)}`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('[data-testid="product-state-hubspot"]').textContent(), "Not connected");

  // OAuth: the SDK opens the consent page in a popup and polls getApp until it sees the connection.
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click('[data-testid="product-connect-hubspot"]')]);
  await popup.waitForSelector('[data-testid="approve"]');
  assert.equal(await popup.evaluate(() => window.opener !== null), true, "the popup keeps its opener (no COOP)");
  await shot(popup, "09-sdk-popup-consent");
  await popup.click('[data-testid="approve"]');
  await page.waitForSelector('body[data-result]', { timeout: 20000 });
  assert.equal(await page.getAttribute("body", "data-result"), "true");
  await page.waitForFunction(() => document.querySelector('[data-testid="product-state-hubspot"]').textContent === "Connected");
  assert.equal(popup.isClosed(), true);
  assert.equal(await appState(la, "hubspot"), "active");

  // Denied in the popup: the popup closes and connect() resolves false.
  const [popup2] = await Promise.all([page.waitForEvent("popup"), page.click('[data-testid="product-connect-slack"]')]);
  await popup2.waitForSelector('[data-testid="deny"]');
  await popup2.click('[data-testid="deny"]');
  await page.waitForSelector('body[data-result]', { timeout: 20000 });
  assert.equal(await page.getAttribute("body", "data-result"), "false");
  assert.equal(await appState(la, "slack"), "none");

  // Key-based through the SDK from this origin: CORS preflight and all.
  await page.fill('[data-testid="product-app-twilio"] input[name="sid"]', "ACa3f5c1e9d2b84c7f9e0d1a2b3c4d5e6f");
  await page.fill('[data-testid="product-app-twilio"] input[name="number"]', "+14155550123");
  await page.click('[data-testid="product-connect-twilio"]');
  await page.waitForSelector('body[data-result]');
  assert.equal(await page.getAttribute("body", "data-result"), "true");
  assert.equal(await appState(la, "twilio"), "active");

  // Reconnect after a revocation, through the same popup flow.
  const ex = await api("POST", `/__mock/linked-accounts/${la}/connections/hubspot/expire`, { body: { reason: "revoked" } });
  assert.equal(ex.status, 200);
  await page.evaluate(() => window.renderApps());
  await page.waitForSelector('[data-testid="product-connect-hubspot"]');
  assert.equal(await page.locator('[data-testid="product-connect-hubspot"]').textContent(), "Reconnect");
  await shot(page, "10-product-reconnect");
  const [popup3] = await Promise.all([page.waitForEvent("popup"), page.click('[data-testid="product-connect-hubspot"]')]);
  await popup3.click('[data-testid="approve"]');
  await page.waitForSelector('body[data-result]', { timeout: 20000 });
  assert.equal(await page.getAttribute("body", "data-result"), "true");
  assert.equal(await appState(la, "hubspot"), "active");

  await page.click('[data-testid="product-disconnect-twilio"]');
  await page.waitForSelector('body[data-result="done"]');
  assert.equal(await appState(la, "twilio"), "none");
  await page.waitForSelector('[data-testid="product-connect-twilio"]');
  await shot(page, "11-product-page");
  assert.deepEqual(errors, []);
  await page.close();
});

test("dashboard: shows connections, deliveries, scenario and clock, and its buttons act", { timeout: 60000 }, async () => {
  const la = "browser_dash";
  await linkedAccount(la, "Globex Ops");
  // A webhook receiver, so the deliveries panel has something to show.
  const hooks = [];
  const receiver = http.createServer((req, res) => { req.resume(); req.on("end", () => { hooks.push(req.url); res.writeHead(204).end(); }); });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  let r = await api("POST", "/api/v2/public/webhook", {
    body: { webhook_url: `http://127.0.0.1:${receiver.address().port}/refold`, webhook_events: ["Connection Created", "Connection Expired"] },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api("PUT", "/api/v2/public/linked-account/integration/save-key-credentials/twilio", {
    la, body: { sid: "AC0000000000000000000000000000dash", number: "+14155550199" },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const failures = [];
  page.on("requestfailed", (req) => failures.push(req.url()));
  page.on("dialog", (d) => d.accept());
  await page.goto(`${BASE}/__mock/ui`);
  await page.click('[data-testid="tenant-tk_acme_test"]');
  const row = `[data-testid="conn-${la}-twilio"]`;
  await page.waitForSelector(row);
  assert.match(await page.locator(row).textContent(), /active/);

  // Revoke from the dashboard: the row changes without a reload, and so does the API.
  await page.click(`${row} [data-testid="revoke-twilio"]`);
  await page.waitForFunction((sel) => /reauth required \(revoked\)/.test(document.querySelector(sel).textContent), row);
  assert.equal(await appState(la, "twilio"), "reauth");

  // The Connection Expired it sent is listed with its attempt.
  await page.waitForFunction(() => /Connection Expired[\s\S]*delivered/.test(document.querySelector('[data-testid="deliveries-panel"]').textContent));
  assert.match(await page.locator('[data-testid="deliveries-panel"]').textContent(), /→ 204/);
  receiver.close();

  // "Open hosted page" hands out a connect link for that linked account.
  const [hosted] = await Promise.all([page.waitForEvent("popup"), page.click(`[data-testid="la-${la}"] button`)]);
  await hosted.waitForURL(/\/connect\/eyJ[\w-]+\.[\w-]+\.[\w-]+$/); // a signed JWT, as the connect-url page shows
  await hosted.waitForSelector('[data-testid="reconnect-twilio"]');
  await hosted.close();

  // A change made elsewhere shows up by itself.
  r = await api("PUT", "/api/v2/public/linked-account/integration/save-key-credentials/playground_app", {
    la, body: { api_key: "pg_test_4f9a2c71e8" },
  });
  assert.equal(r.status, 200);
  await page.waitForSelector(`[data-testid="conn-${la}-playground_app"]`, { timeout: 5000 });

  // The clock moves forward from the button.
  const before = await page.locator('[data-testid="clock"]').textContent();
  await page.click('[data-testid="advance-3600"]');
  await page.waitForFunction((b) => document.querySelector('[data-testid="clock"]').textContent !== b, before);
  const c = await (await fetch(`${BASE}/__mock/clock`)).json();
  assert.equal(new Date(c.now_ms).toISOString().slice(0, 19) + "Z", (await page.locator('[data-testid="clock"]').textContent()).replace(" ", "T"));

  await shot(page, "12-dashboard-deliveries");

  // A scenario's timeline, its next step, and a manual step fired from the page.
  r = await api("POST", "/__mock/scenario", { body: { name: "reauth-demo" } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.waitForSelector('[data-testid="step-hubspot-revoked"][data-state="armed"]');
  await page.click('[data-testid="advance-60"]');
  await page.waitForSelector('[data-testid="fire-customer-reconnects-hubspot"]');
  assert.match(await page.locator('[data-testid="conn-acme-co-hubspot"]').textContent(), /reauth required \(revoked\)/);
  await shot(page, "13-dashboard-scenario");
  await page.click('[data-testid="fire-customer-reconnects-hubspot"]');
  await page.waitForSelector('[data-testid="step-customer-reconnects-hubspot"][data-state="fired"]');
  await page.waitForFunction(() => /active/.test(document.querySelector('[data-testid="conn-acme-co-hubspot"]').textContent));
  assert.equal(await appState("acme-co", "hubspot"), "active");
  assert.deepEqual(failures, [], "every asset comes from the mock and loads");
  await page.close();
});
