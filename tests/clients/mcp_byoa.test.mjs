// mcp_byoa.test.mjs: the MCP calls of Refold's bring-your-own-agent example (GitHub
// gocobalt/refold-mcp-byoa), replayed as its two agents' SDKs send them, against the Server URL
// its README tells you to copy from Refold's console: https://<host>/mcp/v1/<session token>
// (one segment, no server id, no header), the agents' only Refold setting (MCP_URL).
//
// - js-sdk branch, app/api/chat/route.ts: experimental_createMCPClient from @ai-sdk/mcp 0.0.5
//   (package.json "^0.0.5") with transport {type: "http", url: MCP_URL}, then client.tools() and
//   the model's tool calls, then close(). Its HTTP transport: start() fires a GET (Accept:
//   text/event-stream) without waiting, and takes 405 as "no stream"; every POST sends
//   Content-Type: application/json, Accept: application/json, text/event-stream and
//   mcp-protocol-version: 2025-06-18 (initialize included) and user-agent ai-sdk/0.0.0-test
//   runtime/node.js/<version> (checked once with the package itself); an mcp-session-id answered is sent
//   back on every later request; a 202 answer opens the GET stream again; a JSON answer is read
//   when its content-type includes application/json; close() sends DELETE only with a session id.
//   Request ids count from 0; initialize sends protocolVersion 2025-06-18, capabilities {},
//   clientInfo {name: "ai-sdk-mcp-client", version: "1.0.0"}, and the answer's protocolVersion
//   must be one of 2025-06-18, 2025-03-26, 2024-11-05 and its capabilities must list tools.
// - main branch, my_agent/agent.py: Google ADK 1.17.0 MCPToolset(StreamableHTTPConnectionParams(
//   url=MCP_URL)) on the MCP Python SDK 1.20.0 (uv.lock) over httpx 0.28.1: every POST sends
//   accept: application/json, text/event-stream and content-type: application/json, with
//   mcp-protocol-version (the negotiated one) only after initialize, and mcp-session-id when one
//   was answered; the GET stream is opened after notifications/initialized only with a session
//   id, and DELETE on close likewise. initialize sends clientInfo {name: "mcp", version: "0.1.0"}.
//
// The client code is read, not copied: these are the requests it builds, checked the way it reads
// the answers. Setup goes through Refold's public API only (valid under --strict).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

const B = process.env.REFOLD_MOCK_URL ?? 'http://127.0.0.1:8080';
const MODE = process.env.REFOLD_MOCK_MODE ?? 'default';
const LA = 'byoa-agent-user';
let key, mcpUrl, serverId;

async function rest(method, path, body, headers = {}) {
  const res = await fetch(B + path, {
    method,
    headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  assert.ok(res.status < 400, `${method} ${path}: ${res.status} ${text}`);
  return json;
}

before(async () => {
  // a tenant of its own (the stage runs every client against one mock)
  const t = await fetch(B + '/__mock/tenants', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org: 'Acme', environment: 'test' }) });
  assert.ok(t.ok, `POST /__mock/tenants: ${t.status}`);
  key = (await t.json()).api_key;
  await rest('POST', '/api/v2/public/linked-account', { linked_account_id: LA, name: 'BYOA agent user' });
  await rest('PUT', '/api/v2/public/migrate-token',
    { slug: 'hubspot', auth_object: { oauth2: { access_token: 'at_byoa', refresh_token: 'rt_byoa' } } }, { linked_account_id: LA });
  const server = await rest('POST', '/api/v2/public/mcp-servers',
    { name: 'HubSpot MCP Server', description: 'HubSpot contacts' }, { linked_account_id: LA });
  serverId = server._id;
  await rest('PUT', `/api/v2/public/mcp-servers/${serverId}`,
    { associated_apps: [{ slug: 'hubspot', actions: ['create_contact', 'get_contact'] }] }, { linked_account_id: LA });
  // the console's Session Token for the linked account, and the Server URL built from it
  const tok = await rest('POST', '/api/v2/public/session-token', { linked_account_id: LA });
  assert.match(tok.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  mcpUrl = `${B}/mcp/v1/${tok.token}`;
});

// One transport of either SDK: the headers it adds and the session id it carries.
function transport({ userAgent, protocolHeaderOnInit, getAfterInitialized }) {
  const sent = [];
  let sessionId = null, protocolVersion = protocolHeaderOnInit ?? null;
  const headers = (base) => {
    const h = { ...base, 'user-agent': userAgent };
    if (protocolVersion) h['mcp-protocol-version'] = protocolVersion;
    if (sessionId) h['mcp-session-id'] = sessionId;
    return h;
  };
  return {
    sent,
    get sessionId() { return sessionId; },
    negotiated(v) { if (!protocolHeaderOnInit) protocolVersion = v; },
    async get() { // the optional server-to-client stream
      const res = await fetch(mcpUrl, { method: 'GET', headers: headers({ accept: 'text/event-stream' }) });
      sent.push(['GET', res.status]);
      if (res.headers.get('mcp-session-id')) sessionId = res.headers.get('mcp-session-id');
      await res.arrayBuffer();
      return res;
    },
    async post(message) {
      const res = await fetch(mcpUrl, { method: 'POST', body: JSON.stringify(message),
        headers: headers({ 'content-type': 'application/json', accept: 'application/json, text/event-stream' }) });
      sent.push([message.method, res.status]);
      if (res.headers.get('mcp-session-id')) sessionId = res.headers.get('mcp-session-id');
      if (res.status === 202) {
        assert.equal(await res.text(), '');
        if (getAfterInitialized && (getAfterInitialized === 'always' || sessionId)) await this.get();
        return null;
      }
      const text = await res.text();
      assert.ok(res.ok, `POST ${message.method}: HTTP ${res.status}: ${text}`);
      assert.ok((res.headers.get('content-type') ?? '').includes('application/json'), 'a JSON answer (not an SSE stream)');
      const reply = JSON.parse(text);
      assert.equal(reply.jsonrpc, '2.0');
      assert.equal(reply.id, message.id);
      assert.equal(reply.error, undefined, JSON.stringify(reply.error));
      return reply.result;
    },
    async close() { // DELETE ends a session only when the server gave one
      if (!sessionId) return;
      const res = await fetch(mcpUrl, { method: 'DELETE', headers: headers({}) });
      sent.push(['DELETE', res.status]);
      assert.ok(res.ok || res.status === 405, `DELETE: ${res.status}`);
    },
  };
}

// What the tool-call result is, as the agents hand it to the model: the text content's JSON.
function toolText(result) {
  assert.ok(Array.isArray(result.content));
  const c = result.content[0];
  assert.equal(c.type, 'text');
  assert.equal(typeof c.text, 'string');
  return JSON.parse(c.text);
}

// The contact a tool created, read back through REST as the product would.
async function contactEmail(id) {
  const got = await rest('POST', '/api/v2/integration-schema/hubspot/actions/get_contact/execute', { contact_id: id },
    { linked_account_id: LA });
  return got.data.properties.email;
}

test(`@ai-sdk/mcp 0.0.5 (refold-mcp-byoa js-sdk, app/api/chat/route.ts) on ${MODE}`, async () => {
  // (the published 0.0.5 build never replaced its version placeholder: it says 0.0.0-test)
  const t = transport({ userAgent: `ai-sdk/0.0.0-test runtime/node.js/${process.version}`,
    protocolHeaderOnInit: '2025-06-18', getAfterInitialized: 'always' });
  // start(): the GET is fired and not awaited, so it races initialize
  const [sse, init] = await Promise.all([t.get(), t.post({ method: 'initialize', params: { protocolVersion: '2025-06-18',
    capabilities: {}, clientInfo: { name: 'ai-sdk-mcp-client', version: '1.0.0' } }, jsonrpc: '2.0', id: 0 })]);
  assert.equal(sse.status, 405); // no stream: the transport returns quietly
  assert.ok(['2025-06-18', '2025-03-26', '2024-11-05'].includes(init.protocolVersion), init.protocolVersion);
  assert.ok(init.capabilities.tools, 'tools capability (assertCapability for tools/list)');
  assert.equal(typeof init.serverInfo.name, 'string');
  assert.equal(typeof init.serverInfo.version, 'string');
  assert.equal(await t.post({ method: 'notifications/initialized', jsonrpc: '2.0' }), null);
  // refoldMCPClient.tools(): tools/list without params, each tool's inputSchema made strict
  const list = await t.post({ method: 'tools/list', jsonrpc: '2.0', id: 1 });
  const names = list.tools.map((x) => x.name).sort();
  assert.deepEqual(names, ['hubspot_create_contact_action', 'hubspot_get_contact_action']);
  for (const tool of list.tools) {
    assert.equal(tool.inputSchema.type, 'object');
    assert.ok(tool.inputSchema.properties === undefined || typeof tool.inputSchema.properties === 'object');
    assert.equal(typeof tool.description, 'string');
  }
  // the model calls a tool: callTool({name, args})
  const created = toolText(await t.post({ method: 'tools/call',
    params: { name: 'hubspot_create_contact_action', arguments: { input_payload: { email: 'ai-sdk@example.com', firstname: 'Vercel' } } },
    jsonrpc: '2.0', id: 2 }));
  assert.equal(created.success, true, JSON.stringify(created));
  const id = created.data.data.id;
  const read = toolText(await t.post({ method: 'tools/call',
    params: { name: 'hubspot_get_contact_action', arguments: { input_payload: { contact_id: id } } }, jsonrpc: '2.0', id: 3 }));
  assert.equal(read.data.data.properties.email, 'ai-sdk@example.com');
  assert.equal(await contactEmail(id), 'ai-sdk@example.com');
  await t.close(); // onFinish: refoldMCPClient.close()
  // (the first GET raced initialize) two GETs, both 405, and no DELETE: no session id was answered
  assert.equal(t.sessionId, null);
  assert.deepEqual(t.sent.map(([m, s]) => `${m} ${s}`).sort(), ['GET 405', 'GET 405', 'initialize 200',
    'notifications/initialized 202', 'tools/call 200', 'tools/call 200', 'tools/list 200']);
});

test(`MCP Python SDK 1.20.0 under Google ADK 1.17.0 (refold-mcp-byoa main, my_agent/agent.py) on ${MODE}`, async () => {
  const t = transport({ userAgent: 'python-httpx/0.28.1', getAfterInitialized: 'with-session' });
  const init = await t.post({ method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {},
    clientInfo: { name: 'mcp', version: '0.1.0' } }, jsonrpc: '2.0', id: 0 });
  assert.ok(['2024-11-05', '2025-03-26', '2025-06-18'].includes(init.protocolVersion), init.protocolVersion);
  t.negotiated(init.protocolVersion);
  assert.equal(await t.post({ method: 'notifications/initialized', jsonrpc: '2.0' }), null);
  // MCPToolset.get_tools(): session.list_tools()
  const list = await t.post({ method: 'tools/list', jsonrpc: '2.0', id: 1 });
  const tool = list.tools.find((x) => x.name === 'hubspot_create_contact_action');
  assert.ok(tool, JSON.stringify(list.tools.map((x) => x.name)));
  assert.ok(tool.inputSchema.properties.input_payload, 'the parameters sit under input_payload');
  // the model's function call: session.call_tool(name, arguments=args)
  const created = toolText(await t.post({ method: 'tools/call',
    params: { name: 'hubspot_create_contact_action', arguments: { input_payload: { email: 'adk@example.com' } } }, jsonrpc: '2.0', id: 2 }));
  assert.equal(created.success, true, JSON.stringify(created));
  assert.equal(await contactEmail(created.data.data.id), 'adk@example.com');
  // a bad call is a tool result the model reads, not a protocol error
  const failed = await t.post({ method: 'tools/call',
    params: { name: 'hubspot_create_contact_action', arguments: { input_payload: {} } }, jsonrpc: '2.0', id: 3 });
  assert.equal(failed.isError, true);
  assert.equal(toolText(failed).success, false);
  await t.close();
  // the mock keeps no session: no id answered, so no GET stream and no DELETE were sent
  assert.equal(t.sessionId, null);
  assert.deepEqual(t.sent.map(([m]) => m), ['initialize', 'notifications/initialized', 'tools/list', 'tools/call', 'tools/call']);
});

test(`the calls are the linked account's, logged against the default server, the token never shown (${MODE})`, async () => {
  const logs = await rest('GET', `/__mock/mcp/logs?linked_account_id=${LA}`);
  const calls = logs.logs.filter((x) => x.tool === 'hubspot_create_contact_action');
  assert.equal(calls.length, 3);
  for (const c of calls) assert.equal(c.identity.server, serverId);
  assert.deepEqual(calls.map((c) => c.client.name).sort(),
    [`ai-sdk/0.0.0-test runtime/node.js/${process.version}`, 'python-httpx/0.28.1', 'python-httpx/0.28.1']);
  const journal = await (await fetch(`${B}/__mock/requests?path=/mcp/v1/*&limit=100`, { headers: { 'x-api-key': key } })).text();
  const token = mcpUrl.slice(mcpUrl.lastIndexOf('/') + 1);
  assert.ok(journal.includes('"/mcp/v1/****"'));
  assert.ok(!journal.includes(token), 'the session token of the URL is masked');
});
