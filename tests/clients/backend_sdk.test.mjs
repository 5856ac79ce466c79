// backend_sdk.test.mjs: every method of Refold's backend SDK @cobaltio/cobalt 1.3.0 (GitHub
// gocobalt/cobalt-sdk, src/Apis/index.ts and src/base.ts), each request built as the SDK builds
// it (axios; x-api-key and Content-Type on every call; linked_account_id as a header AND a query
// parameter when the method has one; the payload as the body, even on GET and DELETE) and each
// answer read as the SDK reads it (response.data, an error's message). Runs against a default
// and a --strict mock (run.sh): Refold accepts everything the SDK sends, so must the mock.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, MODE, axios, admin, newTenant } from './axios_request.mjs';

const SYNC_CONTACTS = '69ae87a592145348d38f4ef9'; // hubspot's "Sync new contacts" (event user_signed_up)
const PIPELINE_FIELD = '69a41a02bacff58ef3a35ddf'; // hubspot's select field "Deal pipeline"
const LA = `sdk_user_${MODE}`;

// What src/base.ts does with (endpoint, options, params): the headers it sets, the options'
// headers merged over them, linked_account_id copied from params into a header, params as the
// query, options.body as axios's data; response.data returned (a falsy one is an error).
let key;
let last; // the last answer, for its headers
async function request(endpoint, options = {}, params) {
  const headers = { 'Content-Type': 'application/json', 'x-api-key': key, ...(options.headers || {}) };
  if (params && params.linked_account_id) headers.linked_account_id = params.linked_account_id;
  try {
    last = await axios(options.method || 'GET', BASE + endpoint, { headers, data: options.body, params });
  } catch (e) {
    last = e;
    throw new Error(e.message);
  }
  if (!last.json) throw new Error('Something went wrong!');
  return last.json;
}

// The SDK's methods, one line each: method, path, body and params as src/Apis/index.ts has them.
const sdk = {
  createLinkedAccount: (p) => request('/api/v2/public/linked-account', { method: 'POST', body: JSON.stringify(p) }),
  upsertLinkedAccount: (p) => request('/api/v2/public/linked-account', { method: 'PUT', body: JSON.stringify(p) }),
  getAllLinkedAccounts: (o) => request('/api/v2/public/linked-account', {}, { ...o }),
  getLinkedAccountById: (id) => request(`/api/v2/public/linked-account/${id}`, {}),
  deleteLinkedAccount: (id) => request(`/api/v2/public/linked-account/${id}`, { method: 'DELETE' }),
  migrateAuth: (p) => request('/api/v2/public/migrate-token', { method: 'PUT', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  getTokenForLinkedAccount: (p) => request('/api/v2/public/session-token', { method: 'POST', body: JSON.stringify(p) }),
  getApplications: (la) => request('/api/v2/public/application', {}, { linked_account_id: la }),
  getApplicationBySlug: (la, slug) => request(`/api/v2/public/application/${slug}`, {}, { linked_account_id: la }),
  getExecutions: (la, o) => request('/api/v2/public/execution', {}, { ...o, linked_account_id: la }),
  getExecutionById: (la, id) => request(`/api/v2/public/execution/${id}`, {}, { linked_account_id: la }),
  event: (p) => request(p.slug ? `/api/v2/public/event/${p.slug}` : '/api/v2/public/event',
    { method: 'POST', body: JSON.stringify(p), headers: { config_id: p.config_id } }, { linked_account_id: p.linked_account_id }),
  updateEvent: (p) => request(`/api/v2/public/event/${p.event_id}`, { method: 'PUT', body: JSON.stringify(p) }),
  deleteEvent: (id) => request(`/api/v2/public/event/${id}`, { method: 'DELETE' }),
  triggerEvent: (p) => request(p.slug ? `/api/v2/public/event/${p.slug}` : '/api/v2/public/event/trigger',
    { method: 'POST', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  listEvents: () => request('/api/v2/public/event', {}),
  listEventById: (id) => request(`/api/v2/public/event/${id}`, {}),
  getConfig: (p) => request(`/api/v2/public/slug/${p.slug}/config/${p.config_id ? p.config_id : ''}`,
    { method: 'GET', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  config: (p) => request('/api/v2/public/config', { method: 'POST', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  updateConfig: (p) => request('/api/v2/public/config', { method: 'PUT', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  deleteConfig: (p) => request(`/api/v2/public/slug/${p.slug}/config/${p.config_id ? p.config_id : ''}`,
    { method: 'DELETE', body: JSON.stringify(p) }, { linked_account_id: p.linked_account_id }),
  getWebhook: () => request('/api/v2/public/webhook', { method: 'GET' }),
  createWebhook: (p) => request('/api/v2/public/webhook', { method: 'POST', body: JSON.stringify(p) }),
  deleteWebhook: () => request('/api/v2/public/webhook', { method: 'DELETE' }),
  subscribeWebhookEvents: (p) => request('/api/v2/public/webhook/subscribe', { method: 'POST', body: JSON.stringify(p) }),
  unsubscribeWebhookEvent: (p) => request('/api/v2/public/webhook/unsubscribe', { method: 'POST', body: JSON.stringify(p) }),
  executeWorkflow: (workflowId, slug, la, sync, payload) => request(`/api/v1/workflow/${workflowId}/execute`, {
    method: 'POST', body: JSON.stringify(payload),
    headers: { linked_account_id: la, slug, sync_execution: sync ? 'true' : 'false' },
  }),
};

// A route of the current reference: no warning at all (a spec warning would mean the mock calls
// something the SDK sends a violation). A route the pages dropped: the deprecation, naming its
// replacement.
const current = () => assert.equal(last.warning, undefined, `unexpected Refold-Mock-Warning: ${last.warning}`);
const deprecated = (use) => assert.equal(last.warning, `deprecated, use ${use}`);

describe(`@cobaltio/cobalt 1.3.0 against a ${MODE} mock`, () => {
  before(async () => { key = await newTenant(); });

  it('createLinkedAccount, upsertLinkedAccount (linked_account_id, your_app.app_id in the body)', async () => {
    const made = await sdk.createLinkedAccount({ linked_account_id: LA, name: 'SDK Test Inc.', udf: { plan: 'pro' }, your_app: { app_id: '6a0b1c2d3e4f5a6b7c8d9e0f', auth_credentials: { api_key: 'sk_sdk' } } });
    current();
    assert.equal(made.account_id, LA);
    const up = await sdk.upsertLinkedAccount({ linked_account_id: LA, name: 'SDK Test Renamed', your_app: { app_id: '6a0b1c2d3e4f5a6b7c8d9e0f', auth_credentials: { api_key: 'sk_sdk2' } } });
    current();
    assert.equal(up.account_id, LA);
    assert.equal(up.name, 'SDK Test Renamed');
    assert.equal(up.new_account, false);
  });

  it('getAllLinkedAccounts (page, limit), getLinkedAccountById', async () => {
    const all = await sdk.getAllLinkedAccounts({ page: 1, limit: 50 });
    current();
    assert.ok(Array.isArray(all.docs) && all.docs.some((d) => d.account_id === LA), 'the account is listed');
    for (const k of ['totalDocs', 'limit', 'totalPages', 'page', 'hasPrevPage', 'hasNextPage']) assert.ok(k in all, k);
    const one = await sdk.getLinkedAccountById(LA);
    current();
    assert.equal(one.account_id, LA);
    assert.equal(typeof one._id, 'string');
    assert.equal(one.name, 'SDK Test Renamed');
  });

  it('migrateAuth (linked_account_id in the body too) connects hubspot', async () => {
    await sdk.migrateAuth({ linked_account_id: LA, slug: 'hubspot', auth_object: { access_token: 'sdk-access', refresh_token: 'sdk-refresh' } });
    current();
    const app = await sdk.getApplicationBySlug(LA, 'hubspot');
    current();
    assert.equal(app.slug, 'hubspot');
    assert.equal(app.connected, true, 'hubspot connected after migrateAuth');
  });

  it('getTokenForLinkedAccount, getApplications', async () => {
    const t = await sdk.getTokenForLinkedAccount({ linked_account_id: LA });
    current();
    assert.match(t.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const apps = await sdk.getApplications(LA);
    current();
    assert.ok(Array.isArray(apps) && apps.some((a) => a.slug === 'hubspot'), 'hubspot is listed');
  });

  let configId;
  it('config (find or create, labels as the README shows), getConfig with and without a config id', async () => {
    const labels = { yourApp_fields: [{ name: 'Customer Name', value: 'app_var_name' }, { name: 'Customer Last Name', value: 'app_var_last_name' }] };
    const c = await sdk.config({ linked_account_id: LA, slug: 'hubspot', labels });
    current();
    assert.equal(c.slug, 'hubspot');
    assert.ok(Array.isArray(c.fields) && c.fields.some((f) => f.id === PIPELINE_FIELD), 'the app fields');
    configId = c.config_id;
    const named = await sdk.config({ linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2' });
    current();
    assert.equal(named.config_id, 'sdk_config_2');
    const g = await sdk.getConfig({ linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2' });
    current();
    assert.equal(g.config_id, 'sdk_config_2');
  });

  // Without a config id the SDK builds /slug/hubspot/config/ (a trailing slash): the default
  // config: the router takes a trailing slash as the same route.
  it('getConfig without a config id (GET .../config/ with a body)', async () => {
    const d = await sdk.getConfig({ linked_account_id: LA, slug: 'hubspot' });
    current();
    assert.equal(d.slug, 'hubspot');
    assert.equal(d.config_id, configId);
  });

  it('updateConfig (fields and workflow fields as objects: field id -> value)', async () => {
    const u = await sdk.updateConfig({
      linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2',
      fields: { [PIPELINE_FIELD]: '7581443' },
      workflows: [{ id: SYNC_CONTACTS, enabled: true, fields: {} }],
    });
    current();
    const f = u.fields.find((x) => x.id === PIPELINE_FIELD);
    assert.equal(f.value, '7581443');
    assert.equal(u.workflows.find((w) => w.id === SYNC_CONTACTS).enabled, true);
    const again = await sdk.getConfig({ linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2' });
    assert.equal(again.fields.find((x) => x.id === PIPELINE_FIELD).value, '7581443', 'stored');
  });

  let eventId;
  it('listEvents, listEventById, updateEvent (deprecated /event routes)', async () => {
    const list = await sdk.listEvents();
    deprecated('GET /api/v2/public/application/event');
    const ev = list.find((e) => e.name === 'user_signed_up');
    assert.ok(ev, 'the fixtures\' event is listed');
    eventId = ev._id;
    const one = await sdk.listEventById(eventId);
    deprecated('GET /api/v2/public/application/event/{event_id}');
    assert.equal(one.name, 'user_signed_up');
    assert.ok(Array.isArray(one.response), 'response as [{key, type}]');
    const up = await sdk.updateEvent({ event_id: eventId, name: 'user_signed_up', response: { email: 'jane@example.com', plan: 'pro' } });
    deprecated('PUT /api/v2/public/application/event/{event_id}');
    const after = (Array.isArray(up) ? up : [up]).find((e) => e._id === eventId);
    assert.deepEqual(after.response.map((k) => k.key).sort(), ['email', 'plan']);
  });

  it('event and triggerEvent, with and without a slug, start the bound workflow', async () => {
    const before = (await sdk.getExecutions(LA, { page: 1, limit: 100 })).docs.length;
    current();
    const fired = await sdk.event({ linked_account_id: LA, event: 'user_signed_up', config_id: 'sdk_config_2', payload: { email: 'a@example.com' } });
    deprecated('POST /api/v2/public/event/trigger');
    assert.equal(fired.message, 'Webhook Fired Success');
    await sdk.event({ linked_account_id: LA, event: 'user_signed_up', slug: 'hubspot', config_id: 'sdk_config_2', payload: { email: 'b@example.com' } });
    current();
    await sdk.triggerEvent({ linked_account_id: LA, event: 'user_signed_up', payload: { email: 'c@example.com' } });
    current();
    await sdk.triggerEvent({ linked_account_id: LA, event: 'user_signed_up', slug: 'hubspot', payload: { email: 'd@example.com' } });
    current();
    const after = await sdk.getExecutions(LA, { page: 1, limit: 100 });
    current();
    // the two calls with config_id sdk_config_2 run the workflow it enabled; the others read the
    // default config, where it is off
    assert.equal(after.docs.length - before, 2);
    await assert.rejects(sdk.event({ linked_account_id: LA, event: 'no_such_event' }), /Trigger not found/);
  });

  let executionId;
  it('executeWorkflow through /api/v1/workflow/{id}/execute: async, then sync', async () => {
    const a = await sdk.executeWorkflow(SYNC_CONTACTS, 'hubspot', LA, false, { email: 'jane@example.com' });
    deprecated('POST /api/v2/public/workflow/{workflowId}/execute');
    assert.match(a.execution_id, /^[0-9a-f]{24}$/);
    executionId = a.execution_id;
    const s = await sdk.executeWorkflow(SYNC_CONTACTS, 'hubspot', LA, true, { email: 'sync@example.com' });
    deprecated('POST /api/v2/public/workflow/{workflowId}/execute');
    assert.match(s.execution_id, /^[0-9a-f]{24}$/);
    assert.ok('return_value' in s, `a sync run answers its result: ${JSON.stringify(s).slice(0, 200)}`);
    assert.equal(typeof s.status, 'string');
  });

  it('getExecutions, getExecutionById', async () => {
    const list = await sdk.getExecutions(LA, { page: 1, limit: 10 });
    current();
    assert.ok(list.docs.some((x) => x._id === executionId), 'the run is listed');
    const x = await sdk.getExecutionById(LA, executionId);
    current();
    for (const k of ['name', 'status', 'createdAt', 'linked_account_id', 'environment']) assert.ok(k in x, k);
    assert.equal(x.linked_account_id, LA);
    assert.ok(Array.isArray(x.nodes));
  });

  it('createWebhook, getWebhook, subscribeWebhookEvents, unsubscribeWebhookEvent, deleteWebhook', async () => {
    const w = await sdk.createWebhook({ webhook_url: 'http://127.0.0.1:9/sdk-hook', webhook_events: ['Workflow Completed'] });
    current();
    assert.match(w._id, /^[0-9a-f]{24}$/);
    const list = await sdk.getWebhook();
    current();
    assert.ok(Array.isArray(list) && list.some((x) => x._id === w._id));
    const sub = await sdk.subscribeWebhookEvents({ webhook_events: ['Workflow Errored', 'connection-expired'] });
    deprecated('PUT /api/v2/public/webhook/{id}');
    assert.equal(sub._id, w._id);
    assert.deepEqual(sub.webhook_events, ['Workflow Completed', 'Workflow Errored', 'Connection Expired']);
    const un = await sdk.unsubscribeWebhookEvent({ webhook_event: 'Workflow Completed' });
    deprecated('PUT /api/v2/public/webhook/{id}');
    assert.deepEqual(un.webhook_events, ['Workflow Errored', 'Connection Expired']);
    const stored = (await sdk.getWebhook()).find((x) => x._id === w._id);
    assert.deepEqual(stored.webhook_events, ['Workflow Errored', 'Connection Expired'], 'stored');
    const gone = await sdk.deleteWebhook();
    deprecated('DELETE /api/v2/public/webhook/{id}');
    assert.equal(gone._id, w._id);
    assert.deepEqual(await sdk.getWebhook(), []);
    await assert.rejects(sdk.deleteWebhook(), /Webhook not found/);
    await assert.rejects(sdk.subscribeWebhookEvents({ webhook_events: ['Workflow Errored'] }), /Webhook not found/);
  });

  it('deleteConfig with a config id (DELETE with a body)', async () => {
    await sdk.deleteConfig({ linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2' });
    current();
    await assert.rejects(sdk.getConfig({ linked_account_id: LA, slug: 'hubspot', config_id: 'sdk_config_2' }), /not found/i);
  });

  it('deleteConfig without a config id (DELETE .../config/)', async () => {
    await sdk.deleteConfig({ linked_account_id: LA, slug: 'hubspot' });
    current();
    await assert.rejects(sdk.getConfig({ linked_account_id: LA, slug: 'hubspot' }));
  });

  it('deleteEvent (deprecated), then deleteLinkedAccount', async () => {
    const rest = await sdk.deleteEvent(eventId);
    deprecated('DELETE /api/v2/public/application/event/{event_id}');
    assert.ok(Array.isArray(rest) && !rest.some((e) => e._id === eventId));
    await assert.rejects(sdk.listEventById(eventId), /Event not found/);
    const d = await sdk.deleteLinkedAccount(LA);
    current();
    assert.equal(typeof d.message, 'string');
    await assert.rejects(sdk.getLinkedAccountById(LA));
  });

  it('a wrong key: the SDK throws the envelope\'s message', async () => {
    const saved = key;
    key = 'tk_not_a_key';
    try {
      await assert.rejects(sdk.getApplications(LA), /Invalid Credentials/);
    } finally {
      key = saved;
      await admin('DELETE', `/__mock/tenants/${saved}`);
    }
  });
});
