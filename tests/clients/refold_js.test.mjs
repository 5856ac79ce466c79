// refold_js.test.mjs: every call of the frontend SDK @refoldai/refold-js v10 (gocobalt/refold-js:
// refold.ts 10.3 and 10.5, read, not copied), sent as the SDK builds it: the URL, method, headers
// (`authorization: Bearer`, `content-type` where it sets one, `slug`, `sync_execution`,
// `disable_field_options`) and body (JSON.stringify of what the method takes), and each answer
// read the way the SDK reads it (a 4xx/5xx body thrown; `data.success`, `data.auth_url`,
// `data.connected`, `data.workflow ?? data`, `data.workflows`, `rule_column.rhs`...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, customer, sdk, approve, thrown } from './frontend_util.mjs';

const JSON_CT = { 'content-type': 'application/json' };
const DEAL_PIPELINE = '69a41a02bacff58ef3a35ddf'; // hubspot: select, required
const RULES = '69a948b783d8994b3779623e'; // hubspot: rule_engine
const SYNC_CONTACTS = '69ae87a592145348d38f4ef9'; // hubspot workflow
const LIFECYCLE = '69ac9b3e2f7cf280caee19bb'; // its select field
const APPROVE = '69b1c4e2a7d35f0e84c1a9d3'; // playground_app: a human task that expires in a day

// getApp(slug) / getApp() / getApps(): GET /api/v2/f-sdk/application[/{slug}]
const getApp = (t, slug) => sdk(t, 'GET', `/api/v2/f-sdk/application${slug ? `/${slug}` : ''}`);
// connect() -> integrate(): 10.5 POSTs every grant; 10.3 POSTs client_credentials and GETs the
// rest with the fields in the query (URLSearchParams of the payload, "?" even when empty).
const integratePost = (t, slug, params, base = `/api/v1/${slug}`) =>
  sdk(t, 'POST', `${base}/integrate`, { headers: JSON_CT, body: JSON.stringify(params ?? {}) });
const integrateGet = (t, slug, params, base = `/api/v1/${slug}`) =>
  sdk(t, 'GET', `${base}/integrate?${new URLSearchParams(params).toString()}`);
const UC = (slug) => `/api/v1/auth-service/f-sdk/universal-connector/${encodeURIComponent(slug)}`;
// keybased(): POST /api/v2/app/{slug}/save (or the connector's save-credentials), data.success
const keybased = async (t, url, payload) => (await sdk(t, 'POST', url, { headers: JSON_CT, body: JSON.stringify({ ...payload }) })).success;
const disconnect = (t, slug, type) =>
  sdk(t, 'DELETE', `/api/v1/linked-acc/integration/${slug}${type ? `?auth_type=${type}` : ''}`);
const oauthActive = (app) => Boolean(app?.connected_accounts?.filter((a) => a.auth_type === 'oauth2').some((a) => a.status === 'active'));

test('getApp / getApps: the catalogue with kind and grant_type, as connect() routes on them', async () => {
  const t = await customer('rjs_apps');
  const apps = await getApp(t);
  assert.ok(Array.isArray(apps));
  assert.deepEqual(apps, await sdk(t, 'GET', '/api/v2/f-sdk/application')); // getApps()
  const by = Object.fromEntries(apps.map((a) => [a.slug, a]));
  assert.equal(by.hubspot.kind, 'native');
  assert.equal(by.hubspot.grant_type, 'authorization_code');
  assert.equal(by.paypal.grant_type, 'client_credentials');
  assert.deepEqual(by.paypal.auth_type_options.oauth2.map((f) => f.name), ['client_id', 'client_secret']);
  assert.equal(by.northwind_connector.kind, 'universal_connector');
  assert.equal(by.twilio.grant_type, undefined); // key-based: no OAuth grant
  const one = await getApp(t, 'paypal');
  assert.equal(one.connected, false);
  const e = await thrown(getApp(t, 'no_such_app'));
  assert.equal(e.httpStatus, 404);
  assert.equal(e.status_code, 404);

  const account = await sdk(t, 'GET', '/api/v3/org/basics'); // getAccountDetails()
  assert.equal(account.customer.linked_account_id, 'rjs_apps');
  // updateAccount(payload): PUT /api/v2/public/linked-account with the payload as it is
  const updated = await sdk(t, 'PUT', '/api/v2/public/linked-account', { headers: JSON_CT, body: JSON.stringify({ name: 'Renamed Inc.' }) });
  assert.equal(updated.name, 'Renamed Inc.');
  assert.equal((await api('GET', '/api/v2/public/linked-account/rjs_apps')).body.name, 'Renamed Inc.');
});

test('connect() OAuth: POST and GET /integrate answer auth_url; the consent connects; the poll sees it', async () => {
  const t = await customer('rjs_oauth');
  for (const send of [integratePost, integrateGet]) {
    const data = await send(t, 'hubspot');
    assert.equal(data.connected, undefined);
    assert.ok(data.auth_url.startsWith(`${BASE}/oauth/hubspot/authorize?`), data.auth_url);
  }
  const data = await integratePost(t, 'hubspot', {});
  assert.equal(oauthActive(await getApp(t, 'hubspot')), false);
  await approve(data.auth_url);
  assert.equal(oauthActive(await getApp(t, 'hubspot')), true); // what oauth() polls for
  // disconnect(slug, "oauth2")
  await disconnect(t, 'hubspot', 'oauth2');
  assert.equal((await getApp(t, 'hubspot')).connected, false);
  // A key-based-only app has no OAuth: thrown, not an auth_url.
  assert.equal((await thrown(integratePost(t, 'twilio'))).httpStatus, 400);
});

test('connect() client_credentials: the fields connect without a window, {connected}', async () => {
  const t = await customer('rjs_m2m');
  const fields = { client_id: 'AYSq3RDGsmBLJE-otTkBtM-jBRd1TCQwFf9RGfwddNXWz0uFU9ztymylOhRS', client_secret: 'EGnHDxD_qRPdaLdZz8iCr8N7_MzF-YHPTkjs6NKYQvQSBngp4PTTVWkPZRbL' };
  const missing = await thrown(integratePost(t, 'paypal', { client_id: fields.client_id }));
  assert.equal(missing.httpStatus, 400);
  assert.match(missing.message, /client_secret/);
  assert.equal((await getApp(t, 'paypal')).connected, false); // nothing changed
  // The provider refuses the secret: connected false, still nothing stored.
  assert.deepEqual(await integratePost(t, 'paypal', { ...fields, client_secret: 'revoked-secret' }), { connected: false });
  assert.equal((await getApp(t, 'paypal')).connected, false);
  const data = await integratePost(t, 'paypal', fields);
  assert.equal(data.auth_url, undefined);
  assert.equal(data.connected, true);
  const app = await getApp(t, 'paypal');
  assert.equal(oauthActive(app), true);
  const pub = await api('GET', '/api/v2/public/application/paypal', { la: 'rjs_m2m' });
  assert.equal(pub.body.connected_accounts[0].auth_type, 'oauth2');
  assert.equal(JSON.stringify(pub.body).includes(fields.client_secret), false); // never shown
  await disconnect(t, 'paypal');
  // Older v10 and cobalt-js 8 send the same fields in the query of a GET.
  assert.deepEqual(await integrateGet(t, 'paypal', fields), { connected: true });
  assert.equal((await getApp(t, 'paypal')).connected, true);
});

test('universal connector: integrate, save-credentials and revoke on its own routes (10.3), and the native ones (10.5)', async () => {
  const t = await customer('rjs_uc');
  const creds = { api_key: 'nw_live_3f9a27c4d1e84b6a', base_url: 'https://acme.northwind.example/api' };
  // isUniversalConnector(): getApp(slug).kind when no kind is passed
  assert.equal((await getApp(t, 'northwind_connector')).kind, 'universal_connector');
  assert.equal((await thrown(keybased(t, `${UC('northwind_connector')}/save-credentials`, { base_url: creds.base_url }))).httpStatus, 400);
  assert.equal(await keybased(t, `${UC('northwind_connector')}/save-credentials`, creds), true);
  let app = await getApp(t, 'northwind_connector');
  assert.equal(app.connected, true);
  assert.equal(app.connected_accounts[0].auth_type, 'keybased');
  // disconnect(): POST .../revoke, no body
  const revoked = await sdk(t, 'POST', `${UC('northwind_connector')}/revoke`);
  assert.equal(typeof revoked, 'object');
  assert.equal((await getApp(t, 'northwind_connector')).connected, false);
  // OAuth on the connector's integrate, GET with the query (10.3) and POST (client credentials path)
  const viaGet = await integrateGet(t, 'northwind_connector', {}, UC('northwind_connector'));
  assert.ok(viaGet.auth_url.includes('/oauth/northwind_connector/authorize?'), viaGet.auth_url);
  const viaPost = await integratePost(t, 'northwind_connector', {}, UC('northwind_connector'));
  await approve(viaPost.auth_url);
  assert.equal(oauthActive(await getApp(t, 'northwind_connector')), true);
  // A native app is not a universal connector there.
  assert.equal((await thrown(sdk(t, 'POST', `${UC('hubspot')}/revoke`))).httpStatus, 404);
  // 10.5+: connectors go through the native routes
  await disconnect(t, 'northwind_connector');
  assert.equal(await keybased(t, '/api/v2/app/northwind_connector/save', creds), true);
  app = await getApp(t, 'northwind_connector');
  assert.equal(app.connected_accounts[0].auth_type, 'keybased');
  assert.equal(app.connected_accounts[0].identifier.endsWith('4b6a'), true);
  await disconnect(t, 'northwind_connector');
  assert.equal((await getApp(t, 'northwind_connector')).connected, false);
});

test('configs: config, getConfigs, getConfig, updateConfig, toggleConfigWorkflow, deleteConfig', async () => {
  const la = 'rjs_config';
  const t = await customer(la);
  // config(payload): labels default to []
  const cfg = await sdk(t, 'POST', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ slug: 'hubspot', config_id: 'cfg_eu', labels: [] }) });
  assert.equal(cfg.config_id, 'cfg_eu');
  assert.ok(cfg.fields.find((f) => f.id === DEAL_PIPELINE));
  // getConfigs(slug): GET /api/v2/public/slug/{slug}/configs
  const configs = await sdk(t, 'GET', '/api/v2/public/slug/hubspot/configs');
  assert.ok(configs.some((c) => c.config_id === 'cfg_eu'), JSON.stringify(configs));
  // updateConfig({slug, config_id, fields, workflows})
  const updated = await sdk(t, 'PUT', '/api/v2/f-sdk/config', {
    headers: JSON_CT,
    body: JSON.stringify({ slug: 'hubspot', config_id: 'cfg_eu', fields: { [DEAL_PIPELINE]: '7581443' },
      workflows: [{ id: SYNC_CONTACTS, enabled: true, fields: { [LIFECYCLE]: 'customer' } }] }),
  });
  assert.equal(updated.fields.find((f) => f.id === DEAL_PIPELINE).value, '7581443');
  // getConfig(slug, configId, excludeOptions): the disable_field_options header
  const plain = await sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu');
  assert.ok(plain.fields.find((f) => f.id === DEAL_PIPELINE).options.length > 0);
  const bare = await sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu', { headers: { disable_field_options: 'true' } });
  assert.equal(bare.fields.find((f) => f.id === DEAL_PIPELINE).options, undefined);
  assert.equal(bare.workflows.find((w) => w.id === SYNC_CONTACTS).enabled, true);
  // toggleConfigWorkflow({slug, config_id, workflow_id, enabled}): data.workflows
  const wfs = (await sdk(t, 'PATCH', `/api/v2/public/slug/hubspot/config/cfg_eu/workflows/${SYNC_CONTACTS}`,
    { headers: JSON_CT, body: JSON.stringify({ enabled: false }) })).workflows;
  assert.equal(wfs.find((w) => w.id === SYNC_CONTACTS).enabled, false);
  assert.equal((await sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu')).workflows.find((w) => w.id === SYNC_CONTACTS).enabled, false);
  // a bad value is thrown, and changes nothing
  const bad = await thrown(sdk(t, 'PUT', '/api/v2/f-sdk/config', { headers: JSON_CT,
    body: JSON.stringify({ slug: 'hubspot', config_id: 'cfg_eu', fields: { [DEAL_PIPELINE]: 'nope' }, workflows: [] }) }));
  assert.equal(bad.httpStatus, 400);
  assert.equal((await sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu')).fields.find((f) => f.id === DEAL_PIPELINE).value, '7581443');
  // deleteConfig(slug, configId)
  await sdk(t, 'DELETE', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu');
  assert.equal((await thrown(sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config/cfg_eu'))).httpStatus, 404);
});

test('config fields: getConfigField, updateConfigField, deleteConfigField, getFieldOptions', async () => {
  const la = 'rjs_fields';
  const t = await customer(la);
  await sdk(t, 'POST', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ slug: 'hubspot', labels: [] }) });
  const slug = { slug: 'hubspot' };
  // getConfigField(slug, fieldId, workflowId?, payload?): POST with payload || {}
  const field = await sdk(t, 'POST', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({}) });
  assert.equal(field.id, DEAL_PIPELINE);
  const wfField = await sdk(t, 'POST', `/api/v2/public/config/field/${LIFECYCLE}?workflow_id=${SYNC_CONTACTS}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({}) });
  assert.equal(wfField.id, LIFECYCLE);
  // updateConfigField(slug, fieldId, value, workflowId?): PUT {value}
  const set = await sdk(t, 'PUT', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ value: '7581449' }) });
  assert.equal(set.value, '7581449');
  const setWf = await sdk(t, 'PUT', `/api/v2/public/config/field/${LIFECYCLE}?workflow_id=${SYNC_CONTACTS}`,
    { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ value: 'lead' }) });
  assert.equal(setWf.value, 'lead');
  // deleteConfigField(slug, fieldId): DELETE with the slug header, no body
  const cleared = await sdk(t, 'DELETE', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: slug });
  assert.equal(cleared.value, undefined);
  assert.equal((await sdk(t, 'GET', '/api/v2/f-sdk/slug/hubspot/config')).fields.find((f) => f.id === DEAL_PIPELINE).value, undefined);
  // getFieldOptions(lhs, slug, fieldId): {rule_column: {lhs}}, read as RuleOptions
  const stage = await sdk(t, 'POST', `/api/v2/public/config/rule-engine/${RULES}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ rule_column: { lhs: 'stage' } }) });
  assert.equal(stage.rule_column.rhs.type, 'select');
  assert.ok(stage.rule_column.rhs.options.some((o) => o.value === 'closedwon'), JSON.stringify(stage));
  assert.equal(stage.rule_column.operator.type, 'select');
  assert.ok(stage.rule_column.operator.options.length > 0);
  const amount = await sdk(t, 'POST', `/api/v2/public/config/rule-engine/${RULES}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ rule_column: { lhs: 'amount' } }) });
  assert.equal(amount.rule_column.rhs.type, 'text');
  assert.ok(amount.rule_column.operator.options.some((o) => o.value === 'greater_than'));
  const unknown = await thrown(sdk(t, 'POST', `/api/v2/public/config/rule-engine/${RULES}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ rule_column: { lhs: 'colour' } }) }));
  assert.equal(unknown.httpStatus, 400);
});

test('workflows and executions: list, create, payload, execute, executions with their trigger and statuses', async () => {
  const la = 'rjs_flows';
  let t = await customer(la);
  // connect the apps the runs use
  await approve((await integratePost(t, 'hubspot')).auth_url);
  assert.equal(await keybased(t, '/api/v2/app/playground_app/save', { api_key: 'pg_live_51f0a9c3e2d8' }), true);

  // getWorkflows({page = 1, limit = 100, ...rest})
  const list = await sdk(t, 'GET', `/api/v2/public/workflow?${new URLSearchParams({ page: '1', limit: '100', slug: 'hubspot' })}`);
  assert.ok(list.docs.length >= 2);
  for (const w of list.docs) {
    assert.equal(w.slug, 'hubspot');
    assert.ok(!Number.isNaN(Date.parse(w.createdAt)) && !Number.isNaN(Date.parse(w.updatedAt)), JSON.stringify(w).slice(0, 200));
    assert.equal(typeof w.published, 'boolean');
  }
  // createWorkflow({name, description, slug}): data?.workflow ?? data (description undefined: left out)
  const created = await sdk(t, 'POST', '/api/v2/public/workflow', { headers: JSON_CT, body: JSON.stringify({ name: 'Nightly export', description: undefined, slug: 'hubspot' }) });
  const wf = created?.workflow ?? created;
  assert.equal(wf.name, 'Nightly export');
  assert.ok(wf.createdAt && wf.updatedAt);
  // deleteWorkflow(id)
  await sdk(t, 'DELETE', `/api/v2/public/workflow/${wf._id}`);
  // getWorkflowPayload(id)
  const shape = await sdk(t, 'GET', `/api/v2/public/workflow/request-structure/${SYNC_CONTACTS}`);
  assert.equal(typeof shape.payload, 'object');

  // executeWorkflow({worklfow, slug, payload, sync_execution}): headers slug and sync_execution
  const exec = (id, { slug = '', sync = false, payload } = {}) => sdk(t, 'POST', `/api/v2/public/workflow/${id}/execute`, {
    headers: { ...JSON_CT, slug, sync_execution: sync ? 'true' : 'false' }, body: JSON.stringify(payload),
  });
  const syncRun = await exec(SYNC_CONTACTS, { slug: 'hubspot', sync: true, payload: { email: 'jane@example.com' } });
  assert.equal(syncRun.status, 'COMPLETED', JSON.stringify(syncRun));
  // No slug: the SDK sends `slug: ""`, which the page says Refold refuses.
  const noSlug = await thrown(exec(SYNC_CONTACTS, { payload: {} }));
  assert.equal(noSlug.httpStatus, 400);
  assert.equal(noSlug.error, 'Workflow ID and slug are required');
  const noBody = await exec(SYNC_CONTACTS, { slug: 'hubspot' }); // payload undefined: no body at all
  assert.ok(noBody.execution_id, JSON.stringify(noBody));
  const waiting = await exec(APPROVE, { slug: 'playground_app', payload: { order_id: 'ord_1', amount: 12500 } });
  const stopped = await exec(APPROVE, { slug: 'playground_app', payload: { order_id: 'ord_2', amount: 9000 } });
  let r = await api('POST', `/api/v2/public/execution/${stopped.execution_id}/stop`, { la });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api('POST', '/__mock/clock/advance', { body: { seconds: 86401 } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // a day later the 24 h session token has expired on the tenant's clock: the SDK gets a 401 and
  // the product hands its frontend a new token, as it would with Refold
  const expired = await thrown(sdk(t, 'GET', `/api/v2/public/execution/${syncRun.execution_id}`));
  assert.equal(expired.httpStatus, 401);
  r = await api('POST', '/api/v2/public/session-token', { body: { linked_account_id: la } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  t = r.body.token;

  // getExecution(id): the trigger application, the event id, nodes with maximum_attempts
  const one = await sdk(t, 'GET', `/api/v2/public/execution/${syncRun.execution_id}`);
  assert.equal(one.status, 'COMPLETED');
  assert.equal(typeof one.associated_event_id, 'string');
  assert.equal(one.associated_trigger_application.name, 'Hubspot'); // the app's name in the catalogue
  assert.equal(one.associated_trigger_application.app_type, 'hubspot');
  assert.equal(typeof one.associated_trigger_application.origin_trigger.name, 'string');
  assert.ok(one.nodes.length > 0);
  for (const n of one.nodes) {
    assert.equal(n.maximum_attempts, 1);
    assert.equal(typeof n.attempts_made, 'number');
  }
  // getExecutions({page = 1, limit = 10, ...filters}): the statuses the SDK filters on
  const page = (q) => sdk(t, 'GET', `/api/v2/public/execution?${new URLSearchParams({ page: '1', limit: '10', ...q })}`);
  const all = await page({});
  assert.ok(all.totalDocs >= 4 && all.docs.every((d) => d.associated_trigger_application && d.associated_event_id), JSON.stringify(all).slice(0, 300));
  const timedOut = await page({ status: 'TIMED_OUT' });
  assert.deepEqual(timedOut.docs.map((d) => d._id), [waiting.execution_id]);
  const stoppedList = await page({ status: 'STOPPED', workflow_id: APPROVE });
  assert.deepEqual(stoppedList.docs.map((d) => d._id), [stopped.execution_id]);
  assert.equal((await page({ status: 'STOPPING' })).totalDocs, 0); // the mock stops at once: never STOPPING
  assert.equal((await page({ execution_type: 'SYNC' })).docs.every((d) => d.type_of_execution === 'SYNC'), true);
});
