// my-app.js: the "code under test" the Jest recipe of mock/admin/README.md assumes, as small as a
// product's Refold integration gets: it connects a customer's HubSpot through the public API
// (REFOLD_BASE_URL, REFOLD_API_KEY read at each call) and keeps the webhooks it receives.
const http = require('node:http');

const base = () => process.env.REFOLD_BASE_URL ?? 'http://127.0.0.1:8080';
const call = async (method, path, la, body) => {
  const r = await fetch(base() + path, {
    method,
    headers: { 'x-api-key': process.env.REFOLD_API_KEY, 'content-type': 'application/json', ...(la ? { linked_account_id: la } : {}) },
    body: body && JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};

const received = [];
let server;

module.exports = {
  received,
  async connectHubspot(customer) {
    await call('POST', '/api/v2/public/linked-account', null, { linked_account_id: customer, name: customer });
    await call('PUT', '/api/v2/public/migrate-token', customer,
               { slug: 'hubspot', auth_object: { oauth2: { access_token: 'at', refresh_token: 'rt' } } });
  },
  // the webhook endpoint, on a free loopback port
  listen: () => new Promise((resolve) => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => { received.push(JSON.parse(body)); res.end('ok'); });
    }).listen(0, '127.0.0.1', resolve);
  }),
  webhookUrl: () => `http://127.0.0.1:${server.address().port}/webhooks/refold`,
  close: () => new Promise((resolve) => server.close(resolve)),
};
