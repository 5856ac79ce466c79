// cobalt_js.test.mjs: the calls @cobaltio/cobalt-js 8.5 (gocobalt/cobalt-js tag 8.5.0, cobalt.ts,
// read, not copied) makes beyond 8.0, whose own calls tests/sdk drives with the real package:
// updateAccount, getApps (?ecosystem=true), createEcosystemLead, the config-field trio (GET, PUT,
// DELETE with the `slug` header) and getRuleFieldOptions (a POST with no body), each sent as
// the SDK builds it and read as it reads the answer (a 4xx/5xx body thrown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, customer, sdk, thrown } from './frontend_util.mjs';

const JSON_CT = { 'content-type': 'application/json' };
const DEAL_PIPELINE = '69a41a02bacff58ef3a35ddf'; // hubspot: select, required
const RULES = '69a948b783d8994b3779623e'; // hubspot: rule_engine with the columns Stage, Amount, Owner
const SYNC_CONTACTS = '69ae87a592145348d38f4ef9'; // hubspot workflow
const LIFECYCLE = '69ac9b3e2f7cf280caee19bb'; // its select field

test('updateAccount and getApps: PUT the linked account; ?ecosystem=true is the enabled apps and the ecosystem ones', async () => {
  const t = await customer('cjs_account');
  const updated = await sdk(t, 'PUT', '/api/v2/public/linked-account', { headers: JSON_CT, body: JSON.stringify({ name: 'Umbrella Health' }) });
  assert.equal(updated.name, 'Umbrella Health');
  const apps = await sdk(t, 'GET', '/api/v2/f-sdk/application?ecosystem=true');
  const enabled = await sdk(t, 'GET', '/api/v2/f-sdk/application');
  assert.ok(apps.length >= enabled.length && enabled.length > 0, `${apps.length} with ecosystem, ${enabled.length} enabled`);
  for (const a of enabled) assert.ok(apps.some((b) => b.slug === a.slug), a.slug);
  assert.equal(apps.find((a) => a.slug === 'hubspot').connected, false);
});

test('createEcosystemLead: POST /api/v1/ecosystem/leads answers the lead; bad input changes nothing', async () => {
  const t = await customer('cjs_leads');
  const lead = await sdk(t, 'POST', '/api/v1/ecosystem/leads', {
    headers: JSON_CT, body: JSON.stringify({ slug: 'salesforce', name: 'Dana Scully', email: 'dana@umbrella.example', description: 'We run Salesforce for our field team' }),
  });
  assert.match(lead._id, /^[0-9a-f]{24}$/);
  assert.equal(lead.email, 'dana@umbrella.example');
  assert.equal(lead.name, 'Dana Scully');
  assert.equal(lead.description, 'We run Salesforce for our field team');
  assert.ok(!Number.isNaN(Date.parse(lead.created_at)), lead.created_at);
  const minimal = await sdk(t, 'POST', '/api/v1/ecosystem/leads', { headers: JSON_CT, body: JSON.stringify({ slug: 'salesforce', email: 'ops@umbrella.example' }) });
  assert.equal(minimal.name, undefined);
  assert.notEqual(minimal._id, lead._id);
  for (const [body, status] of [
    [{ slug: 'salesforce' }, 400], // no email
    [{ slug: 'salesforce', email: 'not an email' }, 400],
    [{ email: 'a@b.example' }, 400], // no slug
    [{ slug: 'no_such_app', email: 'a@b.example' }, 404],
    [{ slug: 'salesforce', email: 'a@b.example', name: 42 }, 400],
  ]) {
    const e = await thrown(sdk(t, 'POST', '/api/v1/ecosystem/leads', { headers: JSON_CT, body: JSON.stringify(body) }));
    assert.equal(e.httpStatus, status, JSON.stringify(body));
    assert.equal(e.status_code, status);
  }
});

test('getConfigField (GET), updateConfigField, deleteConfigField and getRuleFieldOptions with the slug header', async () => {
  const t = await customer('cjs_fields');
  await sdk(t, 'POST', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ slug: 'hubspot', labels: [] }) });
  const slug = { slug: 'hubspot' };
  // getConfigField(slug, fieldId, workflowId?): a GET, no content-type, no body
  let f = await sdk(t, 'GET', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: slug });
  assert.equal(f.id, DEAL_PIPELINE);
  assert.ok(f.options.some((o) => o.value === '7581443'));
  f = await sdk(t, 'GET', `/api/v2/public/config/field/${LIFECYCLE}?workflow_id=${SYNC_CONTACTS}`, { headers: slug });
  // the GET is the pages' POST under an older method: answered, and flagged as deprecated
  const raw = await fetch(`${BASE}/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: { authorization: `Bearer ${t}`, ...slug } });
  assert.equal(raw.status, 200);
  assert.equal(raw.headers.get('refold-mock-warning'), 'deprecated, use POST /api/v2/public/config/field/{fieldId}');
  assert.equal(f.id, LIFECYCLE);
  // updateConfigField: PUT {value}; the GET then shows it
  f = await sdk(t, 'PUT', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ value: '7581443' }) });
  assert.equal(f.value, '7581443');
  assert.equal((await sdk(t, 'GET', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: slug })).value, '7581443');
  const bad = await thrown(sdk(t, 'PUT', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: { ...JSON_CT, ...slug }, body: JSON.stringify({ value: 'nope' }) }));
  assert.equal(bad.httpStatus, 400);
  // deleteConfigField
  await sdk(t, 'DELETE', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: slug });
  assert.equal((await sdk(t, 'GET', `/api/v2/public/config/field/${DEAL_PIPELINE}`, { headers: slug })).value, undefined);
  // without the slug header: the page's 400
  assert.equal((await thrown(sdk(t, 'GET', `/api/v2/public/config/field/${DEAL_PIPELINE}`))).httpStatus, 400);
  // getRuleFieldOptions(slug, fieldId): POST, content-type JSON, no body: the rule's columns
  const cols = await sdk(t, 'POST', `/api/v2/public/config/rule-engine/${RULES}`, { headers: { ...JSON_CT, ...slug } });
  assert.deepEqual(cols.options.map((o) => o.value), ['stage', 'amount', 'owner']);
  const notRules = await thrown(sdk(t, 'POST', `/api/v2/public/config/rule-engine/${DEAL_PIPELINE}`, { headers: { ...JSON_CT, ...slug } }));
  assert.equal(notRules.httpStatus, 400);
  // the same fields through the API key: one state
  const r = await api('GET', '/api/v2/public/slug/hubspot/config', { la: 'cjs_fields' });
  assert.equal(r.body.fields.find((x) => x.id === DEAL_PIPELINE).value, undefined);
});
