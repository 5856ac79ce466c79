// example_apps.test.mjs: the calls of Refold's example apps, each built as the app builds it.
// - gocobalt/crm-demo (src/services/cobalt.ts, session.ts, controllers/crm.ts): the backend SDK
//   @cobaltio/cobalt 1.0.1 (its package.json pins it; findOrCreateConfig was renamed config in
//   1.0.2, and 1.0.1's request() sends no per-call headers) with a session JWT as the
//   linked_account_id, events fired on every CRM change, and its own axios DELETE
//   /api/v1/linked-acc?account_id=...&org_id=...&environment=production when the session ends.
// - gocobalt/cobalt-examples: react-sdk/backend/server.js (session-token; the app list with the
//   key, the linked account AND the session token), hosted-portal (connect-url with the token),
//   js-sdk's useSessionToken (session-token). Their frontend calls go through cobalt-js (its own
//   test file).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE, MODE, axios, admin, newTenant } from './axios_request.mjs';

const ACME_ORG = '645270e37917442c4307297a';
let key;

// crm-demo's session id: jsonwebtoken's sign({}, secret, {expiresIn: 3600}), HS256.
const b64u = (s) => Buffer.from(s).toString('base64url');
function crmSessionJwt(iat) {
  const head = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64u(JSON.stringify({ iat, exp: iat + 3600 }));
  const sig = createHmac('sha256', 'crm-demo-secret').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

// @cobaltio/cobalt 1.0.1's request(): Content-Type and x-api-key, linked_account_id copied from
// params into a header, params as the query, no other headers.
async function sdk101(method, endpoint, body, params) {
  const headers = { 'Content-Type': 'application/json', 'x-api-key': key };
  if (params && params.linked_account_id) headers.linked_account_id = params.linked_account_id;
  let r;
  try {
    r = await axios(method, BASE + endpoint, { headers, data: body === undefined ? undefined : JSON.stringify(body), params });
  } catch (e) {
    throw new Error(e.message);
  }
  if (!r.json) throw new Error('Something went wrong!');
  return r;
}

// The calls of crm-demo's CobaltService, in the order a demo session makes them.
function crmDemo(la, title) {
  describe(title, () => {
    const appId = '6a0b1c2d3e4f5a6b7c8d9e0f';
    it('createSession: upsertLinkedAccount with the session JWT as the default app\'s Authorization', async () => {
      const r = await sdk101('PUT', '/api/v2/public/linked-account', { linked_account_id: la, your_app: { app_id: appId, auth_credentials: { Authorization: `Bearer ${la}` } } });
      assert.equal(r.json.account_id, la);
      assert.equal(r.warning, undefined);
    });
    it('GET /token, /applications, /application/:slug', async () => {
      const t = await sdk101('POST', '/api/v2/public/session-token', { linked_account_id: la });
      assert.match(t.json.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const apps = await sdk101('GET', '/api/v2/public/application', undefined, { linked_account_id: la });
      assert.ok(apps.json.some((a) => a.slug === 'hubspot'));
      const app = await sdk101('GET', '/api/v2/public/application/hubspot', undefined, { linked_account_id: la });
      assert.equal(app.json.slug, 'hubspot');
    });
    it('POST /config: findOrCreateConfig with its four label groups; PUT /config: updateConfig', async () => {
      const labels = {
        'Company Fields': [{ name: 'Name', value: 'name' }, { name: 'Industry', value: 'industry' }],
        'Contact Fields': [{ name: 'First Name', value: 'first_name' }, { name: 'Email', value: 'email' }],
        'Deal Fields': [{ name: 'Name', value: 'name' }, { name: 'Amount', value: 'amount' }],
        'Lead Fields': [{ name: 'Name', value: 'name' }, { name: 'Company', value: 'company' }],
      };
      const c = await sdk101('POST', '/api/v2/public/config', { linked_account_id: la, slug: 'hubspot', labels }, { linked_account_id: la });
      assert.equal(c.json.slug, 'hubspot');
      assert.equal(c.warning, undefined);
      // what its UI posts back: field id -> value, as the SDK's types
      const u = await sdk101('PUT', '/api/v2/public/config', {
        linked_account_id: la, slug: 'hubspot', fields: { '69a41a02bacff58ef3a35ddf': 'default' },
        workflows: [{ id: '69ac37fc22d70cfd72c3ce48', enabled: true, fields: { '69ae78f9e618f87376804066': 500 } }],
      }, { linked_account_id: la });
      assert.equal(u.warning, undefined);
      assert.equal(u.json.fields.find((f) => f.id === '69a41a02bacff58ef3a35ddf').value, 'default');
    });
    it('the CRM controllers: event() on every change (POST /api/v2/public/event, no slug)', async () => {
      const r = await sdk101('POST', '/api/v2/public/event', { linked_account_id: la, event: 'Add Company', payload: { id: 'c1', name: 'Initech', industry: 'Software', website: 'initech.example', employees: 50 } }, { linked_account_id: la });
      assert.equal(r.json.message, 'Webhook Fired Success');
      assert.equal(r.warning, 'deprecated, use POST /api/v2/public/event/trigger');
      const s = await sdk101('POST', '/api/v2/public/event', { linked_account_id: la, event: 'Sync Deal' }, { linked_account_id: la });
      assert.equal(s.json.message, 'Webhook Fired Success');
    });
    it('DELETE /config/:slug: deleteConfig without a config id (DELETE .../config/)', async () => {
      await sdk101('DELETE', '/api/v2/public/slug/hubspot/config/', { linked_account_id: la, slug: 'hubspot' }, { linked_account_id: la });
    });
    it('deleteSession: axios.delete /api/v1/linked-acc?account_id=...&org_id=...&environment=production', async () => {
      const r = await axios('DELETE', `${BASE}/api/v1/linked-acc?account_id=${la}&org_id=${ACME_ORG}&environment=production`, { headers: { 'x-api-key': key } });
      assert.equal(r.status, 200);
      assert.equal(r.warning, 'deprecated, use DELETE /api/v2/public/linked-account/{linked_account_id}');
      await assert.rejects(sdk101('GET', `/api/v2/public/linked-account/${la}`), /not found/);
    });
  });
}

describe(`Refold's example apps against a ${MODE} mock`, () => {
  before(async () => {
    key = await newTenant();
    // the events crm-demo fires exist in its org (made on the dashboard, here through the API)
    for (const name of ['Add Company', 'Sync Deal']) {
      await axios('POST', `${BASE}/api/v2/public/application/event`, {
        headers: { 'x-api-key': key, 'Content-Type': 'application/json' },
        data: JSON.stringify({ name, response: '{"id":"c1","name":"Initech"}' }),
      });
    }
  });
  after(async () => { await admin('DELETE', `/__mock/tenants/${key}`); });

  crmDemo(`crm_${MODE}_session`, 'crm-demo, a short session id');
  // its real session id: a JWT of 128 bytes (ids take up to 2 KiB)
  crmDemo(crmSessionJwt(Math.floor(Date.now() / 1000)), 'crm-demo, its session JWT as the id');

  describe('cobalt-examples', () => {
    const USER_ID = `examples_${MODE}_user`;
    let token;
    before(async () => {
      await axios('POST', `${BASE}/api/v2/public/linked-account`, { headers: { 'x-api-key': key, 'Content-Type': 'application/json' }, data: JSON.stringify({ linked_account_id: USER_ID }) });
    });
    it('react-sdk backend and js-sdk / hosted-portal useSessionToken: POST session-token', async () => {
      const r = await fetch(`${BASE}/api/v2/public/session-token`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ linked_account_id: `${USER_ID}` }),
      });
      assert.equal(r.ok, true);
      assert.equal(r.headers.get('refold-mock-warning'), null);
      token = (await r.json()).token;
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    });
    it('react-sdk backend /api/apps: GET application with linked_account_id, x-api-key and the token', async () => {
      const r = await fetch(`${BASE}/api/v2/public/application`, {
        method: 'GET', headers: { linked_account_id: `${USER_ID}`, 'x-api-key': `${key}`, Authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 200);
      const data = await r.json();
      assert.ok(Array.isArray(data) && data.some((a) => a.slug === 'hubspot'), 'the apps the frontend lists');
    });
    it('hosted-portal: POST connect-url with the session token and its colours', async () => {
      const r = await fetch(`${BASE}/api/v2/public/connect-url`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ color: '#0000FF', bgColor: '#000000', name: 'abc' }),
      });
      assert.equal(r.ok, true, `${r.status}`);
      assert.equal(r.headers.get('refold-mock-warning'), null);
      const data = await r.json();
      assert.match(data.hosted_url, /^https?:\/\//);
      const page = await fetch(data.hosted_url.replace(/^https?:\/\/[^/]+/, BASE)); // the modal's link
      assert.equal(page.status, 200);
    });
  });
});
