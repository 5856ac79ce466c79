// selftest.mjs: the readme stage fails when a block breaks. Unit checks of the extractor and the
// output matcher, then broken copies of real blocks run against the mock at REFOLD_MOCK_URL: each
// must be reported. Exit status 1 when the stage would have let a broken copy pass.
import assert from "node:assert/strict";
import { extract, commands, matches } from "./extract.mjs";
import { allBlocks, runSh, runJest, runC, ROOT } from "./readme.mjs";
import path from "node:path";

let failed = 0;
const check = async (name, fn) => {
  try { await fn(); console.log(`ok   selftest: ${name}`); }
  catch (e) { failed++; console.log(`FAIL selftest: ${name}\n  ${String(e.message ?? e).replaceAll("\n", "\n  ")}`); }
};

// ---- the extractor ----
await check("an unmarked sh block is a problem; a marked one is a block with its options", () => {
  const r = extract("text\n```sh\necho hi\n```\n\n<!-- readme-test: sh needs=la:u1 session=s -->\n```sh\necho two\n```\n```json\n{}\n```\n", "X.md");
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0], /^X\.md:2: a ```sh block without a marker/);
  assert.equal(r.blocks.length, 1);
  assert.deepEqual(r.blocks[0].opts, { needs: "la:u1", session: "s" });
  assert.equal(r.blocks[0].code, "echo two\n");
});
await check("a skipped block needs its visible note", () => {
  assert.equal(extract("<!-- readme-test: skip -->\n```sh\nx\n```\nprose\n", "X.md").problems.length, 1);
  assert.equal(extract("<!-- readme-test: skip -->\n```sh\nx\n```\n*Not run by the readme test: needs a browser.*\n", "X.md").problems.length, 0);
});
await check("commands span backslashes and open quotes; shown outputs attach to the command before", () => {
  const c = commands("A=1   # a comment\ncurl -s x \\\n  -d '{\"a\": 1,\n  \"b\": 2}'\n# {\"ok\":true}\n# 2. prose, not output\necho 'it''s' # [not output]\n");
  assert.equal(c.length, 3);
  assert.equal(c[1].cmd, "curl -s x \\\n  -d '{\"a\": 1,\n  \"b\": 2}'");
  assert.deepEqual(c[1].shown, ['{"ok":true}']);
  assert.deepEqual(c[2].shown, []);
});
await check("shown output: ids, tokens and times ignored, ... is anything, the rest exact", () => {
  assert.ok(matches('{"id":"1e6c9358a644206e630ab31b","at":"2026-05-01T09:00:00.120Z",...}', '{"id":"8fb5185e21f7aef3f7483b48","at":"2027-01-01T00:00:00Z","x":1}'));
  assert.ok(matches('{"u":"http://h/connect/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiI1ZjNjOWQxYTJiN2U0YzA4In0.<signature>"}',
                    '{"u":"http://h/connect/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiJjNjUxYTJlMzNkNDVkOGI3In0.V5LG4XKR6Se-Z_c"}'));
  assert.ok(!matches('{..."connected":true,...}', '{"a":1,"connected":false}'));
  assert.ok(!matches('{"status":"ok"}', '{"status":"ok","extra":1}'));
});

// ---- broken copies of real blocks, run ----
const url = process.env.REFOLD_MOCK_URL;
const { blocks } = allBlocks();
const walk = blocks.find((b) => b.file === "README.md" && b.kind === "sh");
const broken = (b, from, to) => { assert.ok(b.code.includes(from), `${b.where} no longer has ${from}`); return { ...b, code: b.code.replace(from, to) }; };

await check("the walk-through as written passes", async () => assert.deepEqual(await runSh([walk], url), []));
await check("a walk-through command edited to break is reported (its shown output no longer matches)", async () => {
  const f = await runSh([broken(walk, "oauth-url/hubspot", "oauth-url/hubspott")], url);
  assert.equal(f.length, 1, f.join("\n"));
  assert.match(f[0], /the doc shows: \{"auth_url"/);
});
await check("a shown output edited to differ is reported", async () => {
  const f = await runSh([broken(walk, '"reauth_required":true}', '"reauth_required":false}')], url);
  assert.equal(f.length, 1, f.join("\n"));
});
await check("a command with no shown output that answers an error is reported", async () => {
  const f = await runSh([broken(walk, '"slug":"hubspot","auth_object"', '"slug":"hubspott","auth_object"')], url);
  assert.ok(f.some((x) => /answered an error the doc does not show/.test(x)), f.join("\n"));
});
await check("the Jest recipe waiting for a webhook nobody subscribed to fails", async () => {
  const jest = blocks.find((b) => b.kind === "jest");
  const f = await runJest(broken(jest, "webhook_events: ['Connection Expired']", "webhook_events: ['Connection Created']"), url);
  assert.equal(f.length, 1);
  assert.match(f[0], /jest failed/);
});
await check("the C snippet without <curl/curl.h> fails to build", async () => {
  const c = blocks.find((b) => b.kind === "c"), cc = blocks.find((b) => b.kind === "cc");
  const f = await runC(broken(c, "#include <curl/curl.h>\n", ""), cc, { url, build: process.env.REFOLD_BUILD_DIR ?? path.join(ROOT, "build") });
  assert.equal(f.length, 1);
  assert.match(f[0], /the cc line failed/);
});

console.log(`selftest: ${failed ? `${failed} failed` : "every broken copy was caught"}`);
process.exit(failed ? 1 : 0);
