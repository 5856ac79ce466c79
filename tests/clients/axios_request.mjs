// axios_request.mjs: sends a request the way axios 1.x (the backend SDK's and crm-demo's HTTP
// client) does in Node: params serialised with axios's own encoding, the body string sent for any
// method (GET and DELETE included, which fetch cannot), a non-2xx answer thrown. The mock's
// Refold-Mock-Warning header is kept, so a test can see a spec warning or a deprecation.
import http from 'node:http';

export const BASE = process.env.REFOLD_MOCK_URL;
export const MODE = process.env.REFOLD_MOCK_MODE || 'default';
if (!BASE) throw new Error('set REFOLD_MOCK_URL');

// axios's buildURL: encodeURIComponent, then ':', '$', ',', ' ' (as '+'), '[' and ']' put back;
// undefined and null values left out.
const enc = (v) => encodeURIComponent(v).replace(/%3A/gi, ':').replace(/%24/g, '$').replace(/%2C/gi, ',')
  .replace(/%20/g, '+').replace(/%5B/gi, '[').replace(/%5D/gi, ']');
export function withParams(url, params) {
  const q = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return q ? `${url}${url.includes('?') ? '&' : '?'}${q}` : url;
}

// One call: { status, json, warning }; throws like axios + the SDK's catch for a non-2xx
// (Error(message of the body), with .status and .json attached for the test).
export function axios(method, url, { headers = {}, data, params } = {}) {
  const u = new URL(withParams(url, params));
  const h = { Accept: 'application/json, text/plain, */*', 'User-Agent': 'axios/1.7.2', 'Accept-Encoding': 'identity' };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null && v !== false) h[k] = String(v);
  const body = data === undefined ? undefined : Buffer.from(data, 'utf8');
  if (body) h['Content-Length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
        const out = { status: res.statusCode, json, warning: res.headers['refold-mock-warning'], headers: res.headers };
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(out);
        const e = new Error(json?.message || `Request failed with status code ${res.statusCode}`);
        Object.assign(e, out);
        reject(e);
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// The mock's admin API, for setup only (a tenant of its own per test file).
export async function admin(method, path, body, key) {
  const r = await fetch(BASE + path, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function newTenant() {
  return (await admin('POST', '/__mock/tenants', { org: 'Acme', environment: 'test' })).api_key;
}
