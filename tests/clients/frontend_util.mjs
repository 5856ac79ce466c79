// frontend_util.mjs: what the frontend-client replays share: the product's backend (API key
// calls that set the stage), a customer with a session token, and the one request shape every
// frontend SDK method has (Bearer token, its own headers and body, a 4xx/5xx body thrown).
import assert from 'node:assert/strict';

export const BASE = process.env.REFOLD_MOCK_URL;
export const MODE = process.env.REFOLD_MOCK_MODE || 'default';
export const KEY = 'tk_acme_test';
if (!BASE) throw new Error('REFOLD_MOCK_URL is not set (run tests/clients/run.sh)');

// The public and admin API with the org's API key, as a product's backend calls it.
export async function api(method, path, { la, body } = {}) {
  const headers = { 'x-api-key': KEY };
  if (la) headers.linked_account_id = la;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// A linked account and a session token for it (what the product hands its frontend).
export async function customer(id) {
  let r = await api('POST', '/api/v2/public/linked-account', { body: { linked_account_id: id, name: `Customer ${id}` } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api('POST', '/api/v2/public/session-token', { body: { linked_account_id: id } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}

// One SDK call: `authorization: Bearer <token>` plus the method's own headers and its body (a
// string, as the SDK hands it to fetch: JSON.stringify(...) or undefined). Like the SDKs, an
// answer from 400 to 599 is thrown as its parsed body (with the status beside it for the test).
export async function sdk(token, method, path, { headers = {}, body } = {}) {
  const res = await fetch(BASE + path, { method, headers: { authorization: `Bearer ${token}`, ...headers }, body });
  if (res.status >= 400 && res.status < 600) {
    const error = await res.json();
    throw Object.assign(error, { httpStatus: res.status });
  }
  return res.json();
}

// Approves an auth_url's consent page as the user does in the popup.
export async function approve(authUrl) {
  const state = new URL(authUrl).searchParams.get('state');
  const slug = new URL(authUrl).pathname.split('/')[2];
  const page = await fetch(authUrl);
  assert.equal(page.status, 200);
  const res = await fetch(`${BASE}/oauth/${slug}/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ state, decision: 'approve', popup: '1' }),
  });
  assert.equal(res.status, 200);
}

// The error an SDK call threw: its envelope and status.
export async function thrown(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('the call did not throw');
}
