// mcp.test.js: the official MCP TypeScript SDK client (Streamable HTTP transport) and the MCP
// Inspector CLI, as installed from npm, driven against a running refold-mock (REFOLD_MOCK_URL):
// connect, list and call tools in both URL forms, a revoked token, re-auth in the chat, and the
// Inspector CLI run exactly as Refold's docs run it.
"use strict";
const { test, before } = require("node:test");
const assert = require("node:assert/strict");
const { spawnSync } = require("node:child_process");
const { Client } = require("@modelcontextprotocol/sdk/client/index.js");
const { StreamableHTTPClientTransport } = require("@modelcontextprotocol/sdk/client/streamableHttp.js");

const BASE = process.env.REFOLD_MOCK_URL;
const KEY = "tk_acme_test";
const LA = "agent-user";
if (!BASE) throw new Error("REFOLD_MOCK_URL is not set (run tests/mcp/run.sh)");

async function api(method, path, { la, body } = {}) {
  const headers = { "x-api-key": KEY };
  if (la) headers.linked_account_id = la;
  if (body !== undefined) headers["content-type"] = "application/json";
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    // A pooled connection the server closed while idle (its keep-alive timeout) can race the
    // next request on a loaded machine; any HTTP client retries that once on a new connection.
    if (!(e instanceof TypeError)) throw e;
    res = await fetch(BASE + path, init);
  }
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

let server, token;

before(async () => {
  let r = await api("POST", "/api/v2/public/linked-account", { body: { linked_account_id: LA, name: "Agent user" } });
  assert.equal(r.status, 200);
  r = await api("PUT", "/api/v2/public/migrate-token", { la: LA,
    body: { slug: "hubspot", auth_object: { oauth2: { access_token: "at", refresh_token: "rt" } } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api("POST", "/api/v2/public/mcp-servers", { la: LA, body: { name: "Acme CRM", description: "HubSpot contacts" } });
  assert.equal(r.status, 201);
  server = r.body._id;
  r = await api("PUT", `/api/v2/public/mcp-servers/${server}`, { la: LA,
    body: { associated_apps: [{ slug: "hubspot", actions: ["create_contact", "get_contact"] }] } });
  assert.equal(r.status, 200);
  r = await api("POST", `/__mock/linked-accounts/${LA}/personal-access-token`);
  assert.equal(r.status, 201);
  token = r.body.token;
});

async function connect(url, headers) {
  const client = new Client({ name: "refold-mock-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), headers ? { requestInit: { headers } } : undefined));
  return client;
}

function result(res) {
  assert.equal(res.content[0].type, "text");
  return JSON.parse(res.content[0].text);
}

test("SDK client: connect, list tools and call one (token in the path)", async () => {
  const client = await connect(`${BASE}/mcp/v1/${token}/${server}`);
  assert.equal(client.getServerVersion().name, "Acme CRM");
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ["hubspot_create_contact_action", "hubspot_get_contact_action"]);
  const create = tools.find((t) => t.name === "hubspot_create_contact_action");
  assert.deepEqual(create.inputSchema.properties.input_payload.required, ["email"]);
  const res = await client.callTool({ name: "hubspot_create_contact_action",
    arguments: { input_payload: { email: "sdk@example.com", firstname: "Sam" } } });
  assert.equal(res.isError, false);
  const out = result(res);
  assert.equal(out.success, true);
  // what the agent created is there through REST
  const r = await api("POST", "/api/v2/integration-schema/hubspot/actions/get_contact/execute",
    { la: LA, body: { contact_id: out.data.data.id } });
  assert.equal(r.status, 200);
  assert.equal(r.body.data.properties.email, "sdk@example.com");
  await client.ping();
  await client.close();
});

test("SDK client: token in the Authorization header", async () => {
  const client = await connect(`${BASE}/mcp/v1/${server}`, { Authorization: `Bearer ${token}` });
  const { tools } = await client.listTools();
  assert.equal(tools.length, 2);
  await client.close();
  await assert.rejects(connect(`${BASE}/mcp/v1/${server}`), /401/);
});

test("SDK client: re-auth in the chat, then the same URL works again", async () => {
  const client = await connect(`${BASE}/mcp/v1/${token}/${server}`);
  let r = await api("POST", `/__mock/linked-accounts/${LA}/connections/hubspot/expire`, { body: { reason: "revoked" } });
  assert.equal(r.status, 200);
  const res = await client.callTool({ name: "hubspot_create_contact_action", arguments: { input_payload: { email: "x@example.com" } } });
  assert.equal(res.isError, true);
  const out = result(res);
  assert.equal(out.success, false);
  assert.equal(out.reauth_required, true);
  const page = await fetch(out.connect_url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /data-testid="reconnect-hubspot"/);
  r = await api("PUT", "/api/v2/public/migrate-token", { la: LA,
    body: { slug: "hubspot", auth_object: { oauth2: { access_token: "at2", refresh_token: "rt2" } } } });
  assert.equal(r.status, 200);
  const again = await client.callTool({ name: "hubspot_create_contact_action", arguments: { input_payload: { email: "x@example.com" } } });
  assert.equal(again.isError, false);
  await client.close();
});

function inspector(args) {
  const r = spawnSync("npx", ["@modelcontextprotocol/inspector", "--cli", ...args], { cwd: __dirname, encoding: "utf8", timeout: 120000 });
  return r;
}

test("MCP Inspector CLI as the docs run it: tools/list, tools/call, header form", () => {
  let r = inspector([`${BASE}/mcp/v1/${token}/${server}`, "--transport", "http", "--method", "tools/list"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).tools.map((t) => t.name).sort(), ["hubspot_create_contact_action", "hubspot_get_contact_action"]);
  r = inspector([`${BASE}/mcp/v1/${token}/${server}`, "--transport", "http", "--method", "tools/call",
    "--tool-name", "hubspot_create_contact_action", "--tool-arg", 'input_payload={"email":"cli@example.com"}']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(JSON.parse(JSON.parse(r.stdout).content[0].text).success, true);
  r = inspector([`${BASE}/mcp/v1/${server}`, "--transport", "http", "--method", "tools/list", "--header", `Authorization: Bearer ${token}`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).tools.length, 2);
});

test("SDK client: the console's Server URL, /mcp/v1/<session token> (no server id, no header)", async () => {
  const r = await api("POST", "/api/v2/public/session-token", { body: { linked_account_id: LA } });
  assert.equal(r.status, 200);
  assert.ok(r.body.token.length > 127); // a JWT: longer than a path segment used to be
  const client = await connect(`${BASE}/mcp/v1/${r.body.token}`);
  assert.equal(client.getServerVersion().name, "Acme CRM"); // the org's only (so default) server
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ["hubspot_create_contact_action", "hubspot_get_contact_action"]);
  const res = await client.callTool({ name: "hubspot_create_contact_action", arguments: { input_payload: { email: "console@example.com" } } });
  assert.equal(result(res).success, true);
  await client.close();
});

test("a revoked token fails at once (403)", async () => {
  const r = await api("DELETE", `/__mock/linked-accounts/${LA}/personal-access-token`);
  assert.equal(r.status, 204);
  await assert.rejects(connect(`${BASE}/mcp/v1/${token}/${server}`), /403/);
  const cli = inspector([`${BASE}/mcp/v1/${token}/${server}`, "--transport", "http", "--method", "tools/list"]);
  assert.notEqual(cli.status, 0);
});
