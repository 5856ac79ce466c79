// react_cobalt_js.test.mjs: the React SDK's flow, @cobaltio/react-cobalt-js 1.0.0-beta.19
// (gocobalt/react-cobalt-js src/components/Config, Field/DataSlot; on @cobaltio/cobalt-js 8.2),
// replayed call by call. The package is not on the npm registry (`npm view` answers 404), so no
// browser test can bundle the real component: this file sends the exact requests its <Config>
// makes through cobalt-js 8.2 (app list, pick, connect, config, save, disconnect) and reads each
// answer as the component does (apps.filter(!ecosystem), labels.map, workflow.fields, ...),
// with the values its inputs produce (an <input type="number"> gives a numeric string).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, customer, sdk, thrown } from './frontend_util.mjs';

const JSON_CT = { 'content-type': 'application/json' };
const SLUG = 'playground_app';
const WORKSPACE = '69aa735274ebee39d140d582'; // text, required
const FREQUENCY = '69ab8ea26d2f46c0b79974d0'; // select, required
const MAX_ITEMS = '69a22c351f39239522741ec0'; // number
const MAPPING = '69afcd2e3593c49681b0d33d'; // map, with labels
const APPROVE = '69b1c4e2a7d35f0e84c1a9d3'; // workflow with a number and a text field
const THRESHOLD = '69b1c50f3e8a2d7b91f04c26';
const APPROVER = '69b1c53a9f2e4d6c8a7b1e05';

// What the component renders a field's value from, and the state it keeps (Config/index.jsx).
function populate(config) {
  const app = {};
  for (const ds of config?.fields || []) if (typeof ds.value !== 'undefined') app[ds.id] = ds.value;
  const wf = {};
  const enabled = [];
  for (const w of config?.workflows || []) {
    wf[w.id] ??= {};
    if (w.enabled) enabled.push(w.id);
    for (const ds of w.fields) if (typeof ds.value !== 'undefined') wf[w.id][ds.id] = ds.value;
  }
  return { app, wf, enabled };
}

test('<Config>: app list, pick, connect, configure (number and map fields), save, disconnect', async () => {
  const la = 'react_flow';
  const t = await customer(la);

  // 1. No slug prop: cobalt.getApps() -> GET /api/v2/f-sdk/application?ecosystem=true, then the
  //    list shows applications.filter(app => !app.ecosystem), sorted; empty means "No applications
  //    are currently available for integration."
  const apps = await sdk(t, 'GET', '/api/v2/f-sdk/application?ecosystem=true');
  const shown = apps.filter((a) => !a.ecosystem).sort((a, b) => a.name.localeCompare(b.name));
  assert.ok(shown.length > 0, 'the component would say "No applications are currently available"');
  const card = shown.find((a) => (a.slug || a.type) === SLUG);
  assert.ok(card && card.icon && card.name);
  assert.equal(card.connected, false);

  // 2. A click: setSlug(app.slug || app.type) -> cobalt.getApp(slug)
  let application = await sdk(t, 'GET', `/api/v2/f-sdk/application/${SLUG}`);
  assert.ok(application.name);
  assert.deepEqual(application.auth_input_map.map((f) => f.name), ['api_key']); // the connect form

  // 3. Connect: cobalt 8.2 connect(slug, inputData) -> getApp(slug), auth_type keybased -> save
  const inputData = { api_key: 'pg_test_4f9a2c71e8' };
  assert.equal((await sdk(t, 'GET', `/api/v2/f-sdk/application/${SLUG}`)).auth_type, 'keybased');
  const saved = await sdk(t, 'POST', `/api/v2/app/${SLUG}/save`, { headers: JSON_CT, body: JSON.stringify({ ...inputData }) });
  assert.equal(saved.success, true);
  application = { ...application, connected: true, reauth_required: false };

  // 4. Connected: cobalt.config({slug, config_id: id, labels}) with the props unset
  const config = await sdk(t, 'POST', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ slug: SLUG, config_id: undefined, labels: undefined }) });
  const state = populate(config);
  for (const ds of config.fields) {
    // DataSlot: a map field renders labels?.map(label => <Select name={label.value}>...)
    if (ds.field_type === 'map') {
      assert.ok(Array.isArray(ds.labels), `labels of ${ds.name} must be a list: ${JSON.stringify(ds.labels)}`);
      assert.deepEqual(ds.labels.map((l) => [typeof l.name, typeof l.value]), ds.labels.map(() => ['string', 'string']));
    }
  }
  const mapping = config.fields.find((f) => f.id === MAPPING);
  assert.ok(mapping.options.length > 0);
  for (const w of config.workflows) assert.ok(Array.isArray(w.fields), w.id);

  // 5. The user fills the form: onChange values as the inputs give them
  const app = { ...state.app };
  app[WORKSPACE] = 'Umbrella sandbox'; // <Input type="text">
  app[FREQUENCY] = 'daily'; // <Select> onChange(_, value)
  app[MAX_ITEMS] = '250'; // <Input type="number">: e.target.value is a string
  const labelValue = mapping.labels[0].value;
  app[MAPPING] = { ...(app[MAPPING] || {}), [labelValue]: mapping.options[0].value }; // onChange({...value, [label.value]: v})
  const wf = { ...state.wf, [APPROVE]: { ...state.wf[APPROVE], [THRESHOLD]: '7500', [APPROVER]: 'approver@umbrella.example' } };
  const enabled = [...state.enabled, APPROVE]; // the workflow's <Switch>

  // 6. Save: cobalt.updateConfig({slug, config_id: id, fields, workflows})
  const body = {
    slug: SLUG, config_id: undefined, fields: app,
    workflows: config.workflows.map((w) => ({ id: w.id, enabled: enabled.includes(w.id), fields: wf[w.id] || [] })),
  };
  const after = await sdk(t, 'PUT', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify(body) });
  const value = (id) => after.fields.find((f) => f.id === id).value;
  assert.equal(value(MAX_ITEMS), 250); // the numeric string is accepted as the number
  assert.equal(value(WORKSPACE), 'Umbrella sandbox');
  assert.equal(value(FREQUENCY), 'daily');
  assert.deepEqual(value(MAPPING), { [labelValue]: mapping.options[0].value });
  const approve = after.workflows.find((w) => w.id === APPROVE);
  assert.equal(approve.enabled, true);
  assert.equal(approve.fields.find((f) => f.id === THRESHOLD).value, 7500);
  // the same config through the API key
  const viaKey = await api('GET', `/api/v2/public/slug/${SLUG}/config`, { la });
  assert.equal(viaKey.body.fields.find((f) => f.id === MAX_ITEMS).value, 250);

  // A number input holding something else is refused (the component shows its error), nothing kept;
  // an emptied number input ("") clears the value.
  const bad = await thrown(sdk(t, 'PUT', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ ...body, fields: { ...app, [MAX_ITEMS]: '12abc' } }) }));
  assert.equal(bad.httpStatus, 400);
  assert.equal((await api('GET', `/api/v2/public/slug/${SLUG}/config`, { la })).body.fields.find((f) => f.id === MAX_ITEMS).value, 250);
  const cleared = await sdk(t, 'PUT', '/api/v2/f-sdk/config', { headers: JSON_CT, body: JSON.stringify({ ...body, fields: { ...app, [MAX_ITEMS]: '' } }) });
  assert.equal(cleared.fields.find((f) => f.id === MAX_ITEMS).value, undefined);

  // 7. Disconnect: cobalt.disconnect(slug); the list shows it unconnected again
  await sdk(t, 'DELETE', `/api/v1/linked-acc/integration/${SLUG}`);
  const again = await sdk(t, 'GET', '/api/v2/f-sdk/application?ecosystem=true');
  assert.equal(again.find((a) => a.slug === SLUG).connected, false);
});
