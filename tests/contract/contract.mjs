// contract.mjs: calls every operation of the Refold OpenAPI spec against a running refold-mock
// with valid, realistic input, in an order where each call's prerequisites exist, and validates
// every response against the spec's schema for the status returned. An operation fails when it
// is not served (501), answers a status the spec does not document or an error, returns a body
// its schema rejects, looks like a placeholder, or fails its step's behavioural check.
// Env: REFOLD_MOCK_URL (the running mock), REFOLD_OPENAPI (the spec), REFOLD_COVERAGE_TABLE
// (optional: a Markdown file whose coverage table, between <!-- coverage:begin --> and
// <!-- coverage:end -->, must equal this run's; nothing is written).
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const BASE = process.env.REFOLD_MOCK_URL;
const SPEC = process.env.REFOLD_OPENAPI;
if (!BASE || !SPEC) {
  console.error('contract: set REFOLD_MOCK_URL and REFOLD_OPENAPI');
  process.exit(2);
}
const spec = YAML.parse(readFileSync(SPEC, 'utf8'));
// Where a page's example contradicts the spec the example wins: overrides.json replaces one
// schema node per entry (a path under components/schemas), each naming its page. A $ref met on
// the way is replaced by a copy of its target, so the patch changes only this place.
const OVERRIDES = new URL('./overrides.json', import.meta.url);
for (const o of JSON.parse(readFileSync(OVERRIDES, 'utf8')).overrides) {
  const keys = o.at.split('/');
  let node = spec.components.schemas;
  for (const [i, k] of keys.slice(0, -1).entries()) {
    if (!node || !(k in node)) throw new Error(`overrides.json: the spec has no ${keys.slice(0, i + 1).join('/')} (${o.page})`);
    if (node[k]?.$ref) node[k] = structuredClone(spec.components.schemas[node[k].$ref.split('/').pop()]);
    node = node[k];
  }
  if (!node || !(keys.at(-1) in node)) throw new Error(`overrides.json: the spec has no ${o.at} (${o.page})`);
  node[keys.at(-1)] = o.set;
}
const KEY = 'tk_acme_test';
const LA = 'contract_user';

// ---- the spec: operations and their response schemas ----

const ops = new Map(); // operationId -> {method, path, op}
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
    if (item[method]) ops.set(item[method].operationId, { method: method.toUpperCase(), path, op: item[method] });
  }
}

// The spec writes OpenAPI 3.0's `nullable` in a 3.1 document; JSON Schema says it with a type
// list. Local refs are pointed at the spec registered under the id "spec".
function normalize(node) {
  if (Array.isArray(node)) return node.map(normalize);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = 'spec' + v;
    else if (k !== 'nullable') out[k] = normalize(v);
  }
  if (node.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'spec', components: normalize(spec.components) });
const withSpecRefs = normalize;
const validators = new Map();
function validatorFor(opId, status, schema) {
  const key = `${opId} ${status}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(withSpecRefs(schema)));
  return validators.get(key);
}

// The properties an object schema declares (through $ref and allOf), for the placeholder check.
function declaredProps(schema, depth = 0) {
  if (!schema || depth > 10) return [];
  if (schema.$ref) return declaredProps(spec.components.schemas[schema.$ref.split('/').pop()], depth + 1);
  let props = Object.keys(schema.properties || {});
  for (const sub of schema.allOf || []) props = props.concat(declaredProps(sub, depth + 1));
  return props;
}

// ---- calls ----

const results = new Map(); // operationId -> {calls, failures: []}
for (const id of ops.keys()) results.set(id, { calls: 0, failures: [], statuses: new Set() });

function fail(opId, why) {
  results.get(opId).failures.push(why);
}

/* One call of opId. o: {params, query, headers, auth: 'key'|'token'|'none', la, token, body, check}.
 * check(json, res) returns an error string, or nothing when the behaviour is right. */
async function call(opId, o = {}) {
  const spec_op = ops.get(opId);
  if (!spec_op) throw new Error(`no operation ${opId} in the spec`);
  const res = results.get(opId);
  res.calls++;
  const path = spec_op.path.replace(/\{([^}]+)\}/g, (_, name) => {
    if (o.params?.[name] === undefined) throw new Error(`${opId}: missing path parameter ${name}`);
    return encodeURIComponent(o.params[name]);
  });
  const qs = new URLSearchParams(o.query || {}).toString();
  const headers = { ...(o.headers || {}) };
  const auth = o.auth || 'key';
  if (auth === 'key') headers['x-api-key'] = o.key || KEY;
  if (auth === 'token') headers.authorization = `Bearer ${o.token}`;
  if (o.la !== undefined && o.la !== null) headers.linked_account_id = o.la;
  let body;
  if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  let status = 0, text = '', json;
  try {
    const r = await fetch(`${BASE}${path}${qs ? '?' + qs : ''}`, { method: spec_op.method, headers, body });
    status = r.status;
    text = await r.text();
  } catch (e) {
    fail(opId, `request failed: ${e.message}`);
    return { status: 0 };
  }
  res.statuses.add(status);
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  const brief = (text || '').slice(0, 240);
  if (status === 501) {
    fail(opId, `not served (501): ${json?.message || brief}`);
    return { status, json, text };
  }
  const documented = spec_op.op.responses[String(status)] || spec_op.op.responses.default;
  if (!documented) {
    fail(opId, `status ${status} is not documented for this operation: ${brief}`);
    return { status, json, text };
  }
  if (status >= 400) {
    fail(opId, `valid input answered ${status}: ${json?.message || brief}`);
    return { status, json, text };
  }
  const schema = documented.content?.['application/json']?.schema;
  if (schema) {
    if (json === undefined) {
      fail(opId, `${status} body is not JSON: ${brief}`);
    } else {
      const validate = validatorFor(opId, status, schema);
      if (!validate(json)) {
        const errs = validate.errors.slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
        fail(opId, `${status} body violates the schema: ${errs}`);
      }
      const props = declaredProps(schema);
      if (props.length && json && typeof json === 'object' && !Array.isArray(json) && !props.some((p) => p in json)) {
        fail(opId, `${status} body has none of the schema's properties (${props.slice(0, 5).join(', ')}...): a placeholder`);
      }
    }
  } else if (text.trim() !== '') {
    fail(opId, `${status} is documented without a body but one was sent: ${brief}`);
  }
  if (/not (built|implemented) (in refold-mock )?yet/i.test(text)) fail(opId, `the body reads like a placeholder: ${brief}`);
  if (o.check) {
    let why;
    try { why = o.check(json, { status, text }); } catch (e) { why = `check threw: ${e.message}`; }
    if (why) fail(opId, why);
  }
  return { status, json, text };
}

// The mock's own routes (not part of the contract).
async function admin(method, path, body, headers = {}) {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'x-api-key': KEY, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
const advance = (seconds) => admin('POST', '/__mock/clock/advance', { seconds });

const need = (cond, why) => (cond ? undefined : why);
const isArr = Array.isArray;

// ---- the story: every operation, in an order where its prerequisites exist ----

const SYNC_CONTACTS = '69ae87a592145348d38f4ef9'; // hubspot's public "Sync new contacts"
const PIPELINE_FIELD = '69a41a02bacff58ef3a35ddf'; // hubspot app-level select field
const RULES_FIELD = '69a948b783d8994b3779623e';    // hubspot rule-engine field
const API_SECRET = '6a1401de41e63efd08fb3e54';     // env definition: linked_account, encrypted
const API_BASE_URL = '6a159a9741e63efd0833773f';   // env definition: org, url
const ctx = {};
const keyLa = { la: LA };
const tok = () => ({ auth: 'token', token: ctx.token });

async function linkedAccounts() {
  await call('createLinkedAccount', {
    body: {
      account_id: LA, name: 'Contract Test Inc.', udf: { plan: 'enterprise', region: 'us-east' },
      your_app: { auth_credentials: { api_key: 'sk_live_contract_51Hx' } },
    },
    check: (j) => need(j.account_id === LA, 'account_id not echoed'),
  });
  await call('upsertLinkedAccount', {
    body: { account_id: LA, name: 'Contract Test Inc. (renamed)' },
    check: (j) => need(j.name === 'Contract Test Inc. (renamed)', 'name not updated'),
  });
  await call('listLinkedAccounts', {
    query: { page: 1, limit: 10 },
    check: (j) => need(j.docs?.some((d) => d.account_id === LA), 'the new linked account is not listed'),
  });
  await call('getLinkedAccountById', { params: { linked_account_id: LA }, check: (j) => need(j.account_id === LA, 'wrong account') });
  const t = await call('generateSessionTokenForLinkedAccount', {
    body: { linked_account_id: LA },
    check: (j) => need(typeof j.token === 'string' && j.token.split('.').length === 3, 'no JWT token'),
  });
  ctx.token = t.json?.token;
  await call('getLinkedAccountBySessionToken', { ...tok(), check: (j) => need(j.account_id === LA, 'token names another account') });
}

async function applicationsAndConnect() {
  await call('listApplicationsForLinkedAccount', { ...keyLa, check: (j) => need(isArr(j) && j.some((a) => a.slug === 'hubspot'), 'hubspot missing') });
  await call('getApplicationBySlug', { ...keyLa, params: { slug: 'hubspot' }, check: (j) => need(j.slug === 'hubspot', 'wrong app') });
  await call('getAuthStructureForApp', { auth: 'none', params: { slug: 'hubspot' } });
  await call('createConnectUrl', { ...tok(), query: { linked_account_id: LA }, body: { company: 'Contract Test Inc.', plan: 'enterprise' } });
  await call('getHostedProperties', tok());
  await call('getOAuthUrlForLinkedAccount', { ...keyLa, params: { slug: 'hubspot' } });
}

async function credentials() {
  await call('migrateTokenForLinkedAccount', {
    ...keyLa,
    body: { slug: 'hubspot', auth_object: { oauth2: { access_token: 'CNq8xY-existing-access-token', refresh_token: 'na1-3f2c-existing-refresh-token' } } },
  });
  await call('saveKeyBasedAppCredentials', {
    ...keyLa,
    params: { slug: 'twilio' },
    body: { sid: 'AC3f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c', number: '+15005550006' },
  });
  await call('upsertDefaultAppAuthCredential', { ...keyLa, params: { key: 'api_key' }, body: { value: 'sk_live_contract_51Hx' } });
  await call('deleteDefaultAppAuthCredential', { ...keyLa, params: { key: 'api_key' } });
}

async function webhooks() {
  // a loopback URL nothing listens on: deliveries fail fast and never leave the machine
  const w = await call('registerWebhook', {
    body: { webhook_url: 'http://127.0.0.1:9/refold-webhooks', webhook_events: ['Workflow Errored', 'Connection Expired'], webhook_type: 'default' },
  });
  ctx.webhookId = w.json?._id;
  await call('listWebhooks', { check: (j) => need(JSON.stringify(j).includes(ctx.webhookId), 'the new webhook is not listed') });
  await call('getWebhookById', { params: { id: ctx.webhookId } });
  await call('updateWebhook', { params: { id: ctx.webhookId }, body: { is_enabled: false, webhook_events: ['Workflow Completed'] } });
  await call('updateWebhooksGroup', { body: { webhookIds: [ctx.webhookId], group: 'billing-webhooks' } });
}

async function events() {
  const e = await call('createEvent', {
    body: { name: 'candidate_created', response: '{ "event": "candidate_created", "payload": { "jobid": "123", "email": "jane@example.com" } }' },
  });
  ctx.eventId = isArr(e.json) ? e.json.filter((t) => t.name === 'candidate_created').pop()?._id : undefined;
  await call('listEvents');
  await call('getEvent', { params: { event_id: ctx.eventId } });
  await call('updateEvent', {
    params: { event_id: ctx.eventId },
    body: { name: 'candidate_created', response: '{ "event": "candidate_created", "payload": { "email": "jane@example.com" } }' },
  });
  await call('triggerEventBySlug', { ...keyLa, params: { slug: 'hubspot' }, body: { event: 'candidate_created', payload: { jobid: '123' } } });
  await call('triggerEvent', { ...keyLa, headers: { slug: 'hubspot' }, body: { event: 'candidate_created', payload: { jobid: '123', email: 'jane@example.com' } } });
}

async function configs() {
  await call('getOrCreateConfig', { ...keyLa, body: { slug: 'hubspot' } });
  await call('getOrCreateConfig', { ...keyLa, body: { slug: 'hubspot', config_id: 'production', labels: { env: 'production' } } });
  await call('updateConfig', { ...keyLa, body: { slug: 'hubspot', labels: { env: 'production' } } });
  await call('getInstalledConfigDefault', { ...keyLa, params: { slug: 'hubspot' } });
  await call('getInstalledConfig', { ...keyLa, params: { slug: 'hubspot', configId: 'production' } });
  await call('listConfigsForApplication', { ...keyLa, params: { slug: 'hubspot' } });
  await call('toggleConfigWorkflow', { ...keyLa, params: { slug: 'hubspot', configId: LA, workflowId: SYNC_CONTACTS }, body: { enabled: true } });
  const slugH = { ...keyLa, headers: { slug: 'hubspot' } };
  await call('getConfigFields', { ...slugH, body: {} });
  await call('getConfigFieldOptions', { ...slugH, params: { fieldId: PIPELINE_FIELD }, body: {} });
  await call('updateConfigField', { ...slugH, params: { fieldId: PIPELINE_FIELD }, body: { value: '7581443' } });
  await call('deleteConfigField', { ...slugH, params: { fieldId: PIPELINE_FIELD } });
  await call('getRuleEngineOptions', { ...slugH, params: { fieldId: RULES_FIELD }, body: { rule_column: { name: 'Stage', field_type: 'select' } } });
}

async function actions() {
  const la = { headers: { linked_account_id: LA } };
  await call('listActions', { ...la, params: { slug: 'hubspot' } });
  await call('getActionSchema', { ...la, params: { slug: 'hubspot', action_id: 'create_contact' } });
  await call('executeAction', { ...la, params: { slug: 'hubspot', action_id: 'create_contact' }, body: { email: 'jane@example.com', firstname: 'Jane' } });
}

async function workflowsAndExecutions() {
  await call('listWorkflows', keyLa);
  await call('listEnabledWorkflows', keyLa);
  await call('getWorkflowById', { ...keyLa, params: { workflowId: SYNC_CONTACTS } });
  await call('getWorkflowRequestStructure', { ...keyLa, params: { workflowId: SYNC_CONTACTS } });
  const c = await call('createWorkflow', {
    ...keyLa,
    body: {
      name: 'Lead Sync', slug: 'hubspot',
      nodes: [
        { id: '1', type: 'start', name: 'Start' },
        { id: '2', type: 'action', name: 'Create contacts in HubSpot', data: { slug: 'hubspot', action_id: 'create_contact' } },
      ],
      edges: [{ source: '1', target: '2' }],
      run: { duration_seconds: 5, outcome: 'completed', batches: { count: 3, size: 50 } },
    },
  });
  ctx.draftId = c.json?.workflow?._id;
  await call('getDraftWorkflow', { ...keyLa, params: { workflowId: ctx.draftId } });
  const p = await call('publishWorkflow', { ...tok(), params: { workflowId: ctx.draftId }, body: { published: true } });
  ctx.workflowId = p.json?._id || p.json?.workflow?._id;
  await call('listWorkflowVersions', { ...keyLa, params: { workflowId: ctx.workflowId } });
  const x = await call('executeWorkflow', {
    ...keyLa, params: { workflowId: ctx.workflowId }, headers: { slug: 'hubspot' }, body: { payload: { email: 'jane@example.com' } },
  });
  ctx.executionId = x.json?.execution_id;
  await advance(10);
  await call('listExecutions', { ...keyLa, query: { limit: 10 }, check: (j) => need(JSON.stringify(j).includes(ctx.executionId), 'the execution is not listed') });
  const g = await call('getExecutionById', { ...keyLa, params: { execution_id: ctx.executionId } });
  const batchNode = (g.json?.nodes || []).find((n) => n.is_batch);
  await call('listExecutionNodeBatches', {
    ...keyLa, params: { execution_id: ctx.executionId, node_id: batchNode?.node_id ?? 'none' },
  });
  const s = await call('executeWorkflow', { ...keyLa, params: { workflowId: SYNC_CONTACTS }, headers: { slug: 'hubspot' }, body: {} });
  await call('stopExecution', { ...keyLa, params: { instanceId: s.json?.execution_id } });
  await call('rerunExecution', { ...keyLa, params: { instanceId: s.json?.execution_id } }); // a stopped run can be rerun
}

async function humanTasks() {
  const c = await call('createWorkflow', {
    ...keyLa,
    body: {
      name: 'Approve discount',
      run: {
        duration_seconds: 2,
        human_task: {
          name: 'Approve Discount',
          description: 'Review and approve the requested discount.',
          form_structure: { type: 'object', required: ['approved'], properties: { approved: { type: 'boolean', title: 'Approve?' }, notes: { type: 'string', title: 'Notes' } } },
          ui_structure: { approved: { 'ui:widget': 'radio' } },
          receiver_emails: ['approver@example.com'],
          expire_in_seconds: 86400,
        },
      },
    },
  });
  const p = await call('publishWorkflow', { ...tok(), params: { workflowId: c.json?.workflow?._id }, body: { published: true } });
  const x = await call('executeWorkflow', { ...keyLa, params: { workflowId: p.json?._id }, headers: { slug: 'hubspot' }, body: { deal_id: '9001' } });
  const g = await call('getExecutionById', { ...keyLa, params: { execution_id: x.json?.execution_id } });
  const taskId = (g.json?.nodes || []).map((n) => n.latest_output?.human_task_id).find(Boolean) ?? 'none';
  await call('getHumanTask', { auth: 'none', params: { id: taskId }, check: (j) => need(j.status === 'WAITING', `status ${j.status}, not WAITING`) });
  await call('submitHumanTask', { auth: 'none', params: { id: taskId }, body: { data: { approved: true, notes: 'Looks good, approved.' } } });
  await call('getExecutionById', {
    ...keyLa, params: { execution_id: x.json?.execution_id }, check: (j) => need(j.status === 'RUNNING', `submitting did not resume the run (${j.status})`),
  });
}

async function tables() {
  const t = await call('createPersistentTable', {
    ...keyLa, body: { table_name: 'leads', columns: [{ column_name: 'email' }, { column_name: 'stage' }] },
    check: (j) => need(/^[0-9a-f]{24}$/.test(j.table_id), 'no table_id'),
  });
  const id = t.json?.table_id;
  await call('listPersistentTables', { ...keyLa, check: (j) => need(j.docs?.some((d) => d._id === id), 'the table is not listed') });
  const a = await call('addRecordsToPersistentTable', {
    ...keyLa, params: { table_id: id },
    body: { data: [{ email: 'jane@example.com', stage: 'new' }, { email: 'john@example.com', stage: 'qualified' }] },
    check: (j) => need(j.add_record_result?.length === 2, 'two records not added'),
  });
  const rec = a.json?.add_record_result?.[0]?.record_id;
  await call('getPersistentTableRecords', { ...keyLa, params: { table_id: id }, query: { limit: 10 }, check: (j) => need(j.totalDocs === 2, 'records not stored') });
  await call('addPersistentTableColumns', { ...keyLa, params: { table_id: id }, body: { columns: ['score'] }, check: (j) => need(j.columns?.includes('score'), 'column not added') });
  await call('renamePersistentTableColumns', {
    ...keyLa, params: { table_id: id }, body: { renames: [{ old_name: 'score', new_name: 'lead_score' }] },
    check: (j) => need(j.columns?.includes('lead_score'), 'column not renamed'),
  });
  await call('removePersistentTableColumns', { ...keyLa, params: { table_id: id }, body: { columns: ['lead_score'] } });
  await call('searchPersistentTableRecords', {
    ...keyLa, params: { table_id: id }, body: { stage: 'qualified' },
    check: (j) => need(j.length === 1 && j[0].email === 'john@example.com', 'search did not filter'),
  });
  await call('deletePersistentTableRecord', { ...keyLa, params: { table_id: id, record_id: rec }, check: (j) => need(j.record_id === rec, 'wrong record') });
  await call('editTablesGroup', { ...keyLa, body: { tableIds: [id], group: 'crm-tables' } });
  await call('deletePersistentTable', { ...keyLa, params: { table_id: id }, check: (j) => need(j === true, 'not true') });
}

async function datarefsAndDatastores() {
  await call('createDataref', { ...keyLa, body: { refName: 'contacts' }, check: (j) => need(j.name === 'contacts', 'wrong name') });
  await admin('POST', '/__mock/datarefs/contacts/records', { records: [{ email: 'jane@example.com', stage: 'qualified' }] }, { linked_account_id: LA });
  await call('listDatarefs', { query: { linked_account_id: LA } });
  await call('getDatarefAsTable', { ...keyLa, params: { refName: 'contacts' }, check: (j) => need(j.rows?.[0]?.email === 'jane@example.com', 'records missing') });
  await call('editDatarefGroup', { ...keyLa, body: { refNames: ['contacts'], group: 'crm-data' } });
  await call('clearDatarefRecords', { ...keyLa, params: { refName: 'contacts' }, check: (j) => need(Object.keys(j.data || {}).length === 0, 'not cleared') });
  await call('deleteDataref', { ...keyLa, params: { refName: 'contacts' } });
  await call('listConfigDatastores', { ...keyLa, params: { slug: 'hubspot' }, check: (j) => need(j.includes('contacts'), 'contacts missing') });
  await call('listConfigDatastoreRecords', { ...keyLa, params: { slug: 'hubspot', datastore_name: 'contacts' } });
  await call('searchConfigDatastoreRecords', {
    ...keyLa, params: { slug: 'hubspot', datastore_name: 'contacts' }, body: { stage: 'qualified' },
    check: (j) => need(j.length > 0 && j.every((r) => /qualified/i.test(r.stage)), 'search did not filter'),
  });
}

async function envVars() {
  await call('listVariableDefinitions', { query: { scope: 'org' } });
  await call('getVariableDefinition', { params: { id: API_SECRET } });
  await call('setVariableValue', { body: { variable_definition_id: API_BASE_URL, value: 'https://api.contract.example' } });
  const v = await call('setVariableValue', { body: { variable_definition_id: API_SECRET, value: 's3cr3t', linked_account_id: LA } });
  await call('getVariableValue', {
    params: { definition_id: API_SECRET }, query: { linked_account_id: LA },
    check: (j) => need(j.value === '[REDACTED]' && j.encrypted === true, 'encrypted value not redacted'),
  });
  await call('listVariableValuesByScope', { params: { scope: 'linked_account' }, query: { linked_account_id: LA } });
  await call('deleteVariableValue', { ...keyLa, params: { value_id: v.json?._id } });
}

async function mcpServers() {
  const c = await call('createMcpServer', { ...keyLa, body: { name: 'Production CRM Server', description: 'MCP server for CRM workflows' } });
  const id = c.json?._id;
  await call('listMcpServers', { ...keyLa, check: (j) => need(j.docs?.some((d) => d._id === id), 'not listed') });
  await call('getMcpServer', { ...keyLa, params: { mcp_server_id: id } });
  await call('updateMcpServer', {
    ...keyLa, params: { mcp_server_id: id }, body: { description: 'Updated description', agent_name: 'CRM Assistant', primary_color: '#2D6CDF' },
    check: (j) => need(j.agent_name === 'CRM Assistant', 'not updated'),
  });
  await call('deleteMcpServer', { ...keyLa, params: { mcp_server_id: id } });
}

async function schedules() {
  const h = { linked_account_id: LA };
  const s = await call('registerSchedule', {
    headers: { ...h, slug: 'hubspot', workflow_id_alias: SYNC_CONTACTS, config_id: LA },
    body: { trigger_type: 'cron', regex: '0 * * * *', tz: 'UTC', payload: { sync_type: 'full' } },
  });
  const id = s.json?._id;
  await advance(3600);
  await call('listSchedules', { headers: h, check: (j) => need(j.docs?.find((d) => d._id === id)?.run_count === 1, 'an hour did not run the hourly schedule once') });
  await call('updateSchedule', { headers: h, params: { schedule_id: id }, body: { trigger_type: 'cron', regex: '0 10 * * 1', tz: 'UTC' } });
  await call('pauseSchedule', { headers: h, params: { schedule_id: id }, check: (j) => need(j.status === 'paused' && j.inactive === true, 'not paused') });
  await call('resumeSchedule', { headers: h, params: { schedule_id: id }, check: (j) => need(j.status === 'running', 'not resumed') });
  await call('deleteSchedule', { headers: h, params: { schedule_id: id } });
}

async function cleanup() {
  await call('deleteWorkflow', { ...tok(), params: { workflowId: ctx.draftId } });
  await call('deleteEvent', { params: { event_id: ctx.eventId } });
  await call('deleteWebhook', { params: { id: ctx.webhookId } });
  await call('deleteConfig', { ...keyLa, params: { slug: 'hubspot', configId: 'production' } });
  await call('deleteConfigDefault', { ...keyLa, params: { slug: 'hubspot' } });
  await call('deleteIntegration', { params: { slug: 'twilio' }, query: { linked_account_id: LA } });
  await call('revokeLinkedAccountSessionToken', tok());
  await call('deleteLinkedAccount', { params: { linked_account_id: LA } });
}

const stages = [linkedAccounts, applicationsAndConnect, credentials, webhooks, events, configs, actions, workflowsAndExecutions,
  humanTasks, tables, datarefsAndDatastores, envVars, mcpServers, schedules, cleanup];

await admin('POST', '/__mock/reset');
for (const stage of stages) {
  try {
    await stage();
  } catch (e) {
    console.log(`contract: stage ${stage.name} stopped: ${e.message}`);
  }
}

// ---- report ----

let served = new Map();
const deprecatedRows = []; // routes the pages dropped that Refold's clients still call (tests/clients)
try {
  for (const r of await admin('GET', '/__mock/routes')) {
    served.set(`${r.method} ${r.path}`, r.implemented);
    if (r.deprecated) deprecatedRows.push(`| ${r.method} | \`${r.path}\` | ${r.operation} | deprecated, use ${r.deprecated} | clients |`);
  }
} catch {
  served = null;
}
let passed = 0, failed = 0;
const rows = [];
for (const [id, { method, path }] of ops) {
  const r = results.get(id);
  if (r.calls === 0) r.failures.push('never called by the contract test');
  if (served && !served.has(`${method} ${path}`)) r.failures.push('the route table has no row for this operation');
  const ok = r.failures.length === 0;
  ok ? passed++ : failed++;
  const isServed = served ? served.get(`${method} ${path}`) === true : !r.statuses.has(501);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${method.padEnd(6)} ${path} ${id}${ok ? '' : '\n       ' + r.failures.join('\n       ')}`);
  rows.push(`| ${method} | \`${path}\` | ${id} | ${isServed ? 'served' : '501'} | ${ok ? 'pass' : 'fail'} |`);
}
// The documented coverage table is checked, never rewritten: the stage leaves the tree as it was.
let tableOk = true;
if (process.env.REFOLD_COVERAGE_TABLE) {
  const file = process.env.REFOLD_COVERAGE_TABLE;
  const expected = ['| method | path | operationId | status | contract |', '|---|---|---|---|---|', ...rows, ...deprecatedRows];
  const text = readFileSync(file, 'utf8');
  const m = text.match(/<!-- coverage:begin -->\n([\s\S]*?)<!-- coverage:end -->/);
  const documented = m ? m[1].split('\n').filter((l) => l.startsWith('|')) : [];
  const missing = expected.filter((l) => !documented.includes(l));
  const extra = documented.filter((l) => !expected.includes(l));
  if (documented.join('\n') !== expected.join('\n')) { // order too: it is the spec's order
    tableOk = false;
    console.log(`contract: the coverage table in ${file} differs from this run's${m ? '' : ' (no coverage:begin/end markers)'}`);
    for (const l of extra) console.log(`  documented, not this run: ${l}`);
    for (const l of missing) console.log(`  this run, not documented: ${l}`);
    if (!missing.length && !extra.length && m) console.log('  same rows, another order');
    console.log('contract: this run\'s table, to paste between the markers:\n' + expected.join('\n'));
  }
}
console.log(`contract: ${passed} passed, ${failed} failed`);
process.exit(failed || !tableOk ? 1 : 0);
