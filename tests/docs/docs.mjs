// docs.mjs: replays every request example of Refold's API-reference pages (tests/docs/pages, a copy
// of the published .mdx files) against a running refold-mock and compares each answer with the
// page's response example: status, then shape (keys and types, recursively), then values where
// they are not ids, times or seeded data. Prints "N matched of M" and fails on any mismatch that
// deviations.json does not list (and on a listed deviation that now matches: the list stays true).
// The v2 reference Refold still publishes (tests/docs/pages-v2, a copy of docs-v2/api-reference)
// is replayed the same way, its examples named "v2/<page> [...]"; a v2 page without a request
// example gets one built from its `api:` line and its header ParamFields (cases.json gives the
// body where one is needed).
// Env: REFOLD_MOCK_URL (the running mock), REFOLD_MOCK_BIN (its binary, for the shape comparer).
// No npm packages: plain Node 18+.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE = process.env.REFOLD_MOCK_URL;
if (!BASE) { console.error('docs: set REFOLD_MOCK_URL'); process.exit(2); }
const KEY = 'tk_acme_test';
const LA = 'docs_user';
const cases = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'));
const deviations = JSON.parse(readFileSync(join(here, 'deviations.json'), 'utf8')).deviations;

// ---- the pages: request examples (```bash cURL ...) and response examples (```json NNN label) ----

function pages(dir) {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? pages(p) : n.endsWith('.mdx') ? [p] : [];
  });
}

function blocks(text) {
  const out = [];
  const re = /^```(\w+)([^\n]*)\n([\s\S]*?)^```/gm;
  for (let m; (m = re.exec(text));) out.push({ lang: m[1], info: m[2].trim(), body: m[3] });
  return out;
}

// A v2 page without a request example: its `api: post /path/:param` line, x-api-key, and the
// headers its ParamFields name (linked_account_id, slug, config_id), as a cURL text.
const HEADER_VALUES = { linked_account_id: 'YOUR_LINKED_ACCOUNT_ID', slug: '{slug}', config_id: 'YOUR_CONFIG_ID' };
function synthCurl(text) {
  const m = text.match(/^(?:api|openapi):\s*"?(get|post|put|patch|delete)\s+(\S+?)"?\s*$/im);
  if (!m) return undefined;
  const path = m[2].replace(/:(\w+)/g, '{$1}');
  const lines = [`curl -X ${m[1].toUpperCase()} "https://app.refold.ai${path}"`, '-H "x-api-key: YOUR_API_KEY"'];
  for (const h of text.matchAll(/<ParamField\s+header="([^"]+)"/g)) if (HEADER_VALUES[h[1]]) lines.push(`-H "${h[1]}: ${HEADER_VALUES[h[1]]}"`);
  return { lang: 'bash', info: 'cURL (built from the page)', body: lines.join(' \\\n') };
}

// One cURL command: method, URL, headers, -d body (single-quoted, possibly over several lines).
function parseCurl(src) {
  const line = src.replace(/\\\n/g, ' ');
  const method = (line.match(/(?:-X|--request)\s+(\w+)/) || [, 'GET'])[1];
  const url = (line.match(/"(https?:\/\/[^"]+)"/) || line.match(/'(https?:\/\/[^']+)'/) || line.match(/--url\s+(https?:\/\/\S+)/) || [])[1];
  const headers = {};
  for (const m of line.matchAll(/(?:-H|--header)\s+"([^:"]+):\s*([^"]*)"/g)) headers[m[1].toLowerCase()] = m[2];
  for (const m of line.matchAll(/(?:-H|--header)\s+'([^:']+):\s*([^']*)'/g)) headers[m[1].toLowerCase()] = m[2];
  const d = line.match(/(?:-d|--data(?:-raw)?)\s+'([\s\S]*?)'/);
  return { method, url, headers, body: d ? d[1] : undefined };
}

// ---- what the placeholders stand for: seeded per case, after a reset ----

async function raw(method, path, { headers = {}, body } = {}) {
  const h = { ...headers };
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  const r = await fetch(BASE + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: r.status, json, text };
}
async function ok(method, path, opts = {}) {
  const r = await raw(method, path, { ...opts, headers: { 'x-api-key': KEY, ...(opts.headers || {}) } });
  if (r.status >= 300) throw new Error(`seed ${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}
const la = { linked_account_id: LA };
const SYNC_CONTACTS = '69ae87a592145348d38f4ef9';

function seeds() {
  const memo = new Map();
  const once = (name, fn) => () => { if (!memo.has(name)) memo.set(name, fn()); return memo.get(name); };
  const s = {};
  s.la = once('la', async () => {
    await ok('POST', '/api/v2/public/linked-account', { body: { account_id: LA, name: 'Docs Test Inc.', udf: { plan: 'enterprise' }, your_app: { auth_credentials: { api_key: 'sk_docs' } } } });
    await ok('PUT', '/api/v2/public/migrate-token', { headers: la, body: { slug: 'hubspot', auth_object: { oauth2: { access_token: 'docs-access', refresh_token: 'docs-refresh' } } } });
    return LA;
  });
  s.token = once('token', async () => { await s.la(); return (await ok('POST', '/api/v2/public/session-token', { body: { linked_account_id: LA } })).token; });
  s.webhook = once('webhook', async () => (await ok('POST', '/api/v2/public/webhook', { body: { webhook_url: 'http://127.0.0.1:9/hooks', webhook_events: ['Workflow Errored'] } }))._id);
  s.event = once('event', async () => {
    const j = await ok('POST', '/api/v2/public/application/event', { body: { name: 'candidate_created', response: '{"event":"candidate_created","payload":{"email":"jane@example.com"}}' } });
    return (Array.isArray(j) ? j.filter((e) => e.name === 'candidate_created').pop() : j)?._id;
  });
  s.config = once('config', async () => { await s.la(); await ok('POST', '/api/v2/public/config', { headers: la, body: { slug: 'hubspot' } }); return LA; });
  s.table = once('table', async () => {
    await s.la();
    const t = await ok('POST', '/api/v2/public/tables', { headers: la, body: { table_name: 'leads', columns: [{ column_name: 'email' }, { column_name: 'stage' }] } });
    const a = await ok('PATCH', `/api/v2/public/tables/${t.table_id}`, { headers: la, body: { data: [{ email: 'jane@example.com', stage: 'new' }] } });
    return { id: t.table_id, record: a.add_record_result?.[0]?.record_id };
  });
  s.tableId = async () => (await s.table()).id;
  s.dataref = once('dataref', async () => {
    await s.la();
    await ok('POST', '/api/v2/public/dataref', { headers: la, body: { refName: 'contacts' } });
    await ok('POST', '/__mock/datarefs/contacts/records', { headers: la, body: { records: [{ email: 'jane@example.com', stage: 'qualified' }] } });
    return 'contacts';
  });
  s.mcp = once('mcp', async () => { await s.la(); return (await ok('POST', '/api/v2/public/mcp-servers', { headers: la, body: { name: 'Docs CRM', description: 'MCP server for the docs test' } }))._id; });
  s.draft = once('draft', async () => {
    await s.la();
    const c = await ok('POST', '/api/v2/public/workflow', { headers: la, body: { name: 'Lead Sync', slug: 'hubspot', run: { duration_seconds: 5, outcome: 'completed', batches: { count: 2, size: 10 } } } });
    return c.workflow?._id;
  });
  s.published = once('published', async () => {
    const d = await s.draft();
    const p = await ok('PUT', `/api/v2/public/workflow/${d}/publish`, { headers: { authorization: `Bearer ${await s.token()}` }, body: { published: true } });
    return p._id || p.workflow?._id;
  });
  s.execution = once('execution', async () => {
    const w = await s.published();
    const x = await ok('POST', `/api/v2/public/workflow/${w}/execute`, { headers: { ...la, slug: 'hubspot' }, body: { payload: { email: 'jane@example.com' } } });
    await ok('POST', '/__mock/clock/advance', { body: { seconds: 10 } });
    const g = await ok('GET', `/api/v2/public/execution/${x.execution_id}`, { headers: la });
    return { id: x.execution_id, node: (g.nodes || []).find((n) => n.is_batch)?.node_id ?? (g.nodes || [])[0]?.node_id };
  });
  s.running = once('running', async () => {
    await s.la();
    const x = await ok('POST', `/api/v2/public/workflow/${SYNC_CONTACTS}/execute`, { headers: { ...la, slug: 'hubspot' }, body: {} });
    return x.execution_id;
  });
  s.schedule = once('schedule', async () => {
    await s.la();
    return (await ok('POST', '/api/v1/workflow/public/scheduled', { headers: { ...la, slug: 'hubspot', workflow_id_alias: SYNC_CONTACTS, config_id: LA }, body: { trigger_type: 'cron', regex: '0 * * * *', tz: 'UTC' } }))._id;
  });
  s.envValue = once('envValue', async () => {
    await s.la();
    return (await ok('POST', '/api/v2/public/env/values', { body: { variable_definition_id: '6a1401de41e63efd08fb3e54', value: 's3cr3t', linked_account_id: LA } }))._id;
  });
  s.humanTask = once('humanTask', async () => {
    await s.la();
    const c = await ok('POST', '/api/v2/public/workflow', { headers: la, body: { name: 'Approve', run: { duration_seconds: 2, human_task: { name: 'Approve Discount', form_structure: { type: 'object', properties: { approved: { type: 'boolean' } } }, expire_in_seconds: 86400 } } } });
    const p = await ok('PUT', `/api/v2/public/workflow/${c.workflow._id}/publish`, { headers: { authorization: `Bearer ${await s.token()}` }, body: { published: true } });
    const x = await ok('POST', `/api/v2/public/workflow/${p._id}/execute`, { headers: { ...la, slug: 'hubspot' }, body: {} });
    const g = await ok('GET', `/api/v2/public/execution/${x.execution_id}`, { headers: la });
    return (g.nodes || []).map((n) => n.latest_output?.human_task_id).find(Boolean);
  });
  return s;
}

// The value of each placeholder; `folder` picks among the pages' several meanings of {id}.
async function resolve(name, folder, s) {
  switch (name) {
    case 'YOUR_API_KEY': case '<your_api_key>': case '<YOUR_API_KEY>': case '<api-key>': case '<your_org_api_key>': return KEY;
    // (the v2 reference's spellings of the same placeholders)
    case '<YOUR_LINKED_ACCOUNT_ID>': case '<your_linked_account_id>': case '<linked_account_id>': return s.la();
    case '<session_token>': case '{Session_token}': case '{TOKEN}': return s.token();
    case '<workflow_id>': return s.published();
    case '<workflow_id_alias>': return SYNC_CONTACTS;
    case '<slug>': case '{slug_name}': return 'hubspot';
    case 'YOUR_LINKED_ACCOUNT_ID': case '{linked_account_id}': case 'YOUR_ACCOUNT_ID': return s.la();
    case 'YOUR_CONFIG_ID': case '{config_id}': case '{configId}': return s.config();
    case 'YOUR_SESSION_TOKEN': return s.token();
    case '{slug}': case '{appSlug}': return 'hubspot';
    case '{table_id}': return (await s.table()).id;
    case '{record_id}': return (await s.table()).record;
    case '{refName}': return s.dataref();
    case '{mcp_server_id}': return s.mcp();
    case '{workflow_id}': case '{workflowId}': case 'YOUR_WORKFLOW_ID': case '{published_workflow_id}': return s.published();
    case '{draft_workflow_id}': return s.draft();
    case '{execution_id}': return (await s.execution()).id;
    case '{node_id}': return (await s.execution()).node;
    case '{instanceId}': return s.running();
    case '{schedule_id}': return s.schedule();
    case '{event_id}': return s.event();
    case '{value_id}': return s.envValue();
    case '{definition_id}': case 'YOUR_DEFINITION_ID': return '6a1401de41e63efd08fb3e54';
    case '{fieldId}': return '69a41a02bacff58ef3a35ddf';
    case '{action_id}': return 'create_contact';
    case '{key}': return 'api_key';
    case '{datastore_name}': case '{datastore}': await s.la(); return 'contacts';
    case '{scope}': return 'linked_account';
    case '{tag}': return 'crm';
    case '{id}':
      if (folder === 'webhooks') return s.webhook();
      if (folder === 'human-tasks') return s.humanTask();
      if (folder === 'environment-variables') return '6a1401de41e63efd08fb3e54';
      return undefined;
    default: return undefined;
  }
}

async function fill(text, folder, s, vars) {
  if (text === undefined) return undefined;
  // a value "@name" is the seed of that name (cases.json: "@draft" for the draft workflow's id);
  // a key of vars may be a placeholder or a literal of the page (an id in an example body)
  const value = async (v) => (String(v).startsWith('@') ? s[v.slice(1)]() : v);
  for (const [k, v] of Object.entries(vars)) if (text.includes(k)) text = text.split(k).join(String(await value(v)));
  const names = [...new Set(text.match(/YOUR_[A-Z_]+|\{[A-Za-z_]+\}|<[A-Za-z_-]+>/g) || [])];
  for (const n of names) {
    const v = await resolve(n, folder, s);
    if (v !== undefined) text = text.split(n).join(String(v));
  }
  return text;
}

// ---- comparison ----

// The shape comparer is the mock's own (mock/shape.c, the one `refold-mock drift` uses): status
// aside, keys and types recursively (arrays by their first item), and for an error every envelope
// key the page shows with its value compared, ids, times and seeded names masked; extra envelope
// keys (hint, request_id, ...) allowed, anything else extra a mismatch.
const BIN = process.env.REFOLD_MOCK_BIN;
if (!BIN) { console.error('docs: set REFOLD_MOCK_BIN (the comparer is `refold-mock shape-compare`)'); process.exit(2); }
function shape(want, got, path, errs, isError) {
  const r = spawnSync(BIN, ['shape-compare'], { input: JSON.stringify({ want, got, error: isError }) + '\n', encoding: 'utf8' });
  if (r.status !== 0) { errs.push(`refold-mock shape-compare failed: ${r.stderr || r.error}`); return; }
  errs.push(...JSON.parse(r.stdout));
}

// ---- the run ----

const roots = [{ dir: join(here, 'pages'), prefix: '' }, { dir: join(here, 'pages-v2'), prefix: 'v2/' }];
const results = [];
for (const { dir: root, prefix } of roots) for (const file of pages(root)) {
  const rel = relative(root, file).replace(/\.mdx$/, '');
  const page = prefix + rel;
  const folder = rel.split('/')[0];
  const text = readFileSync(file, 'utf8');
  const bs = blocks(text);
  // (v2 also labels its requests "Org API Key" / "Session Token" and writes ```JSON)
  const isCurl = (b) => b.lang === 'bash' && (prefix ? true : /^cURL/.test(b.info)) && /^\s*curl /m.test(b.body);
  let curls = bs.filter(isCurl);
  if (prefix && !curls.length && synthCurl(text)) curls = [synthCurl(text)];
  const parse = (body) => { try { return body.trim() ? JSON.parse(body) : undefined; } catch { return { unparsable: body }; } };
  const responses = bs.filter((b) => (prefix ? /^json$/i : /^json$/).test(b.lang) && /^\d{3}/.test(b.info))
    .map((b) => ({ status: Number(b.info.slice(0, 3)), label: b.info, json: parse(b.body) }));
  if (!curls.length || !responses.length) continue;
  // a v2 page at the same place as a current one sends the same examples: its cases by default
  const pageCases = cases[page] || (prefix && cases[rel]) || {};
  const firstOk = responses.find((r) => r.status < 300);
  // every request example against the page's first success example; every other response example
  // (an error, a labelled second success) provoked as cases.json says, from the first request
  const todo = curls.map((c) => ({ name: `${page} [${c.info}]`, key: c.info, curl: c, want: firstOk }));
  for (const r of responses) if (r !== firstOk) todo.push({ name: `${page} [${r.label}]`, key: r.label, curl: curls[0], want: r });
  // (a page may label several examples alike, as v2's publish page its three "cURL": #2, #3)
  const seen = new Map();
  for (const t of todo) { const n = (seen.get(t.name) || 0) + 1; seen.set(t.name, n); if (n > 1) t.name += ` #${n}`; }
  for (const t of todo) {
    // (the bare key's 401 "Invalid Credentials" needs no entry: a wrong key provokes it)
    const badKey = t.want?.status === 401 && t.want.json?.message === 'Invalid Credentials';
    const how = pageCases[t.key] || (badKey ? { headers: { 'x-api-key': 'tk_not_a_key', authorization: null } } : {});
    const outcome = { name: t.name, errs: [] };
    results.push(outcome);
    if (!t.want) { outcome.errs.push('no success example on the page'); continue; }
    if (t.want.json?.unparsable !== undefined) { outcome.errs.push('the page\'s example is not valid JSON'); continue; }
    if (t.want.status >= 300 && !pageCases[t.key] && !badKey) { outcome.errs.push('cases.json does not say how to provoke this example'); continue; }
    try {
      await ok('POST', '/__mock/reset');
      const s = seeds();
      const vars = { ...(pageCases.vars || {}), ...(how.vars || {}) };
      for (const name of how.seed || pageCases.seed || []) await s[name]();
      for (const step of how.before || pageCases.before || []) await ok(step[0], await fill(step[1], folder, s, vars), { headers: la, body: step[2] });
      const c = parseCurl(t.curl.body);
      let url = new URL(await fill(how.url ? c.url.replace(how.url[0], how.url[1]) : c.url, folder, s, vars));
      const headers = {};
      for (const [k, v] of Object.entries(c.headers)) headers[k] = await fill(v, folder, s, vars);
      for (const [k, v] of Object.entries(how.headers || {})) {
        if (v === null) delete headers[k]; else headers[k] = await fill(v, folder, s, vars);
      }
      // a body of the case, else the page's (a built request has none: "body" of the page's cases)
      const given = how.body !== undefined ? how.body : pageCases.body;
      let body = given !== undefined ? await fill(typeof given === 'string' ? given : JSON.stringify(given), folder, s, vars) : await fill(c.body, folder, s, vars);
      if (how.body === null) body = undefined;
      const r = await raw(how.method || c.method, url.pathname + url.search, { headers, body });
      if (r.status !== t.want.status) outcome.errs.push(`status ${r.status}, the page shows ${t.want.status}: ${r.text.slice(0, 160)}`);
      else if (t.want.json === undefined) { if (r.text.trim()) outcome.errs.push(`a body here, none on the page: ${r.text.slice(0, 80)}`); }
      else if (r.json === undefined) outcome.errs.push(`body is not JSON: ${r.text.slice(0, 120)}`);
      else shape(t.want.json, r.json, '', outcome.errs, t.want.status >= 400);
    } catch (e) {
      outcome.errs.push(`seeding failed: ${e.message}`);
    }
  }
}

const listed = new Map(deviations.map((d) => [d.example, d]));
let matched = 0, failed = 0;
for (const r of results) {
  const dev = listed.get(r.name);
  if (!r.errs.length) {
    matched++;
    if (dev) { failed++; console.log(`STALE ${r.name}: matches now; remove it from deviations.json and the README table`); }
    continue;
  }
  if (dev) { console.log(`dev   ${r.name}: ${r.errs[0]} (listed: ${dev.why})`); continue; }
  failed++;
  console.log(`FAIL  ${r.name}\n        ${r.errs.join('\n        ')}`);
}
for (const d of deviations) if (!results.some((r) => r.name === d.example)) { failed++; console.log(`UNKNOWN deviation ${d.example}: no such example`); }
console.log(`docs: ${matched} matched of ${results.length} examples; ${results.length - matched} listed deviations; ${failed} failures`);
process.exit(failed ? 1 : 0);
