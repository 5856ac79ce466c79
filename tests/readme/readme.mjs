// readme.mjs: runs every README block marked runnable (extract.mjs) against the mock at
// REFOLD_MOCK_URL, as written: shell walk-throughs with their shown outputs compared, the C
// snippet compiled against the installed library, the Jest and pytest recipes with the small app
// they assume (app/), the CI job's steps as a script, the MCP examples; then the banner's hints.
// One line per block: "ok" or "FAIL" and why. Exit status 1 when anything failed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import crypto from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { extract, readmes, commands, matches } from "./extract.mjs";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
const DOC_URL = "http://127.0.0.1:8080";

// ---- helpers ----

function tmpdir(name) { return fs.mkdtempSync(path.join(os.tmpdir(), `readme-${name}-`)); }

// A scratch project that resolves this stage's npm packages (jest, the MCP SDK and Inspector).
function project(name) {
  const dir = tmpdir(name);
  fs.symlinkSync(path.join(HERE, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, scripts: { test: "jest" },
    jest: { testPathIgnorePatterns: ["/node_modules/", "<rootDir>/refold-mock/"] } })); // as the CI recipe says
  return dir;
}

async function api(url, method, p, { key = "tk_acme_test", la, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (key) headers["x-api-key"] = key;
  if (la) headers.linked_account_id = la;
  const r = await fetch(url + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  try { return JSON.parse(text); } catch { return text; }
}

// The doc's base URL becomes the started mock's.
const here = (s, url) => s.replaceAll(DOC_URL, url).replaceAll("localhost:8080", url.replace(/^http:\/\//, ""));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300000, maxBuffer: 64 << 20, ...opts });
  return { status: r.status ?? (r.error ? 127 : 1), out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}` };
}

// The same without blocking this process's event loop (its webhook receiver must answer meanwhile).
function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (out += d));
    const t = setTimeout(() => c.kill("SIGKILL"), opts.timeout ?? 300000);
    c.on("error", (e) => { out += e.message; });
    c.on("close", (code) => { clearTimeout(t); resolve({ status: code ?? 1, out }); });
  });
}

// What a block needs before it runs, on a reset mock ("needs=la:user_12345,connect:user_12345:hubspot").
async function prepare(url, needs, env) {
  await api(url, "POST", "/__mock/reset", { key: null });
  for (const need of (needs ?? "").split(",").filter(Boolean)) {
    const [what, a, b] = need.split(":");
    if (what === "la" || what === "connect" || what === "state")
      await api(url, "POST", "/api/v2/public/linked-account", { body: { linked_account_id: a, name: a } });
    if (what === "connect")
      await api(url, "PUT", "/api/v2/public/migrate-token", { la: a, body: { slug: b, auth_object: { oauth2: { access_token: "at", refresh_token: "rt" } } } });
    if (what === "state") { // the state of an OAuth consent the block drives
      const { auth_url } = await api(url, "GET", `/api/v2/public/linked-account/integration/oauth-url/${b}`, { la: a });
      env.STATE = new URL(auth_url).searchParams.get("state");
    }
    if (what === "delivery") { // a signed webhook body, as GET /__mock/webhooks/deliveries lists it
      await api(url, "POST", "/api/v2/public/webhook", { body: { webhook_url: "http://127.0.0.1:9/none", webhook_events: ["Connection Created"] } });
      await api(url, "POST", "/api/v2/public/linked-account", { body: { linked_account_id: "sig_user" } });
      await api(url, "PUT", "/api/v2/public/migrate-token", { la: "sig_user", body: { slug: "hubspot", auth_object: { oauth2: { access_token: "at", refresh_token: "rt" } } } });
      const [d] = await api(url, "GET", "/__mock/webhooks/deliveries?event=Connection%20Created");
      env.BODY = d.body;
      env.SIGNATURE = d.signature;
    }
    if (what === "mcp") { // a linked account with HubSpot, an MCP server with its actions, a PAT
      await api(url, "POST", "/api/v2/public/linked-account", { body: { linked_account_id: a } });
      await api(url, "PUT", "/api/v2/public/migrate-token", { la: a, body: { slug: "hubspot", auth_object: { oauth2: { access_token: "at", refresh_token: "rt" } } } });
      const s = await api(url, "POST", "/api/v2/public/mcp-servers", { la: a, body: { name: "Acme CRM", description: "HubSpot contacts" } });
      await api(url, "PUT", `/api/v2/public/mcp-servers/${s._id}`, { la: a, body: { associated_apps: [{ slug: "hubspot", actions: ["create_contact", "list_contacts"] }] } });
      env.serverId = s._id;
      env.token = (await api(url, "POST", `/__mock/linked-accounts/${a}/personal-access-token`)).token;
    }
  }
}

// ---- runners: each returns a list of failures (strings) ----

// A shell session: one or more blocks run in one bash, in order, so variables carry over. Each
// command's output is compared with what the doc shows after it; a command the doc shows no
// output for must succeed and not answer an error envelope.
export async function runSh(blocks, url) {
  const env = {};
  await prepare(url, blocks[0].opts.needs, env);
  const cmds = blocks.flatMap((b) => commands(here(b.code, url)).map((c) => ({ ...c, where: b.where })));
  const dir = project("sh"), outs = path.join(dir, "out");
  fs.mkdirSync(outs);
  let script = "";
  cmds.forEach((c, i) => { script += `{\n${c.cmd}\n} >'${outs}/${i}.out' 2>'${outs}/${i}.err'; echo $? >'${outs}/${i}.rc'\n`; });
  fs.writeFileSync(path.join(dir, "block.sh"), script);
  const r = run("bash", ["block.sh"], { cwd: dir, env: { ...process.env, ...env } });
  const fails = [];
  cmds.forEach((c, i) => {
    const f = (n) => { try { return fs.readFileSync(path.join(outs, `${i}.${n}`), "utf8"); } catch { return null; } };
    const out = f("out"), rc = f("rc");
    const first = c.cmd.split("\n")[0].slice(0, 100);
    if (rc === null) { fails.push(`${c.where}: \`${first}\` never ran: ${r.out.slice(-500)}`); return; }
    if (+rc !== 0) { fails.push(`${c.where}: \`${first}\` exited ${rc.trim()}: ${(f("err") + out).slice(0, 500)}`); return; }
    if (c.shown.length) {
      const shown = here(c.shown.join("\n"), url);
      if (!matches(shown, out)) fails.push(`${c.where}: \`${first}\`\n    the doc shows: ${shown}\n    it answered:   ${out.trim().slice(0, 600)}`);
    } else if (/"http_error_type"/.test(out) && !blocks[0].opts.equals) {
      fails.push(`${c.where}: \`${first}\` answered an error the doc does not show: ${out.trim().slice(0, 400)}`);
    }
  });
  if (blocks[0].opts.equals) { // the block's output is the value of a variable the prelude set
    const last = fs.readFileSync(path.join(outs, `${cmds.length - 1}.out`), "utf8").trim();
    if (last !== env[blocks[0].opts.equals]) fails.push(`${blocks[0].where}: printed ${last}, not the ${blocks[0].opts.equals} ${env[blocks[0].opts.equals]}`);
  }
  for (const then of (blocks[0].opts.then ?? "").split(",").filter(Boolean)) {
    const [what, la, slug] = then.split(":");
    if (what === "connected") {
      const app = await api(url, "GET", `/api/v2/public/application/${slug}`, { la });
      if (app.connected !== true || app.reauth_required) fails.push(`${blocks[0].where}: afterwards ${slug} of ${la} is not connected`);
    }
  }
  if (!fails.length) fs.rmSync(dir, { recursive: true, force: true });
  return fails;
}

// The C snippet, completed by the main() a test runner would give it, built with the doc's own cc
// line against the build installed into a prefix (no root: PKG_CONFIG_PATH, as the doc says).
export async function runC(cBlock, ccBlock, { url, build }) {
  const dir = tmpdir("c"), prefix = path.join(dir, "prefix");
  let r = run("cmake", ["--install", build, "--prefix", prefix]);
  if (r.status) return [`cmake --install ${build}: ${r.out.slice(-800)}`];
  const receiver = await startReceiver(); // the webhook endpoint of the code under test
  try {
    fs.writeFileSync(path.join(dir, "tests.c"), cBlock.code +
      "\n/* the test runner's part (tests/readme) */\nint main(void)\n{\n    if (suite_setup()) return 1;\n" +
      "    test_reauth_flow();\n    suite_teardown();\n    return 0;\n}\n");
    const pc = path.dirname(run("find", [prefix, "-name", "refold-mock.pc"]).out.trim().split("\n")[0]);
    const env = { ...process.env, PKG_CONFIG_PATH: pc, MY_APP_WEBHOOK_URL: receiver.url };
    r = run("bash", ["-e", "-c", ccBlock.code], { cwd: dir, env });
    if (r.status) return [`${ccBlock.where}: the cc line failed:\n${r.out.slice(0, 2000)}`];
    r = await runAsync("./tests", [], { cwd: dir, env, timeout: 60000 });
    if (r.status) return [`${cBlock.where}: the C snippet's test failed (exit ${r.status}): ${r.out.slice(0, 1500)}`];
    if (!receiver.got.some((b) => b.includes('"Connection Expired"'))) return [`${cBlock.where}: its webhook endpoint received no Connection Expired`];
    fs.rmSync(dir, { recursive: true, force: true });
    return [];
  } finally { await receiver.close(); }
  void url;
}

function startReceiver() {
  return new Promise(async (resolve) => {
    const http = await import("node:http");
    const got = [];
    const srv = http.createServer((req, res) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => { got.push(b); res.end("ok"); }); });
    srv.listen(0, "127.0.0.1", () => resolve({ got, url: `http://127.0.0.1:${srv.address().port}/hook`, close: () => new Promise((r) => srv.close(r)) }));
  });
}

function jestProject(block) {
  const dir = project("jest");
  fs.copyFileSync(path.join(HERE, "app/my-app.js"), path.join(dir, "my-app.js"));
  fs.writeFileSync(path.join(dir, "recipe.test.js"), block.code);
  return dir;
}

export async function runJest(block, url) {
  const dir = jestProject(block);
  const r = run("npx", ["jest", "--ci"], { cwd: dir, env: { ...process.env, REFOLD_BASE_URL: url } });
  if (r.status) return [`${block.where}: jest failed:\n${r.out.slice(0, 3000)}`];
  fs.rmSync(dir, { recursive: true, force: true });
  return [];
}

export async function runPytest(block, url) {
  const dir = tmpdir("pytest");
  fs.copyFileSync(path.join(HERE, "app/my_app.py"), path.join(dir, "my_app.py"));
  fs.writeFileSync(path.join(dir, "test_recipe.py"), block.code);
  // Debian's pytest and requests (python3-pytest, python3-requests), whatever python3 is first on PATH
  const r = run("/usr/bin/python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_recipe.py"], { cwd: dir, env: { ...process.env, REFOLD_BASE_URL: url } });
  if (r.status) return [`${block.where}: pytest failed:\n${r.out.slice(0, 3000)}`];
  fs.rmSync(dir, { recursive: true, force: true });
  return [];
}

// The CI job's steps, run the way a GitHub Actions runner runs them: `run` with bash -e, `env`,
// GITHUB_ENV and GITHUB_PATH carried to later steps, `if: failure()` / `always()`; the checkout
// is a copy of this tree; `npm test` is the Jest recipe's project.
export async function runCi(block, jestBlock) {
  const steps = YAML.parse(block.code);
  const dir = jestProject(jestBlock), temp = path.join(dir, "runner-temp"), home = path.join(dir, "home");
  fs.mkdirSync(temp);
  fs.mkdirSync(home);
  const ghEnv = path.join(temp, "github_env"), ghPath = path.join(temp, "github_path");
  fs.writeFileSync(ghEnv, "");
  fs.writeFileSync(ghPath, "");
  const fails = [];
  let failed = false;
  for (const step of steps) {
    const name = step.name ?? step.uses;
    const cond = step.if ?? "success()";
    if (!(cond === "always()" || (cond === "failure()" && failed) || (cond === "success()" && !failed))) continue;
    if (step.uses) {
      if (!/^actions\/checkout@/.test(step.uses)) { fails.push(`${block.where}: step ${name}: unknown action`); failed = true; continue; }
      // a copy of this tree's files (tracked and new, not build trees): the job builds its own
      const to = path.join(dir, step.with?.path ?? "src");
      fs.mkdirSync(to, { recursive: true });
      const r = run("bash", ["-c", 'git -C "$0" ls-files -z --cached --others --exclude-standard | (cd "$0" && xargs -0 tar -c --ignore-failed-read -f -) | tar -x -C "$1"', ROOT, to]);
      if (r.status) { fails.push(`${block.where}: copying the checkout: ${r.out}`); failed = true; }
      continue;
    }
    const env = { ...process.env, HOME: home, RUNNER_TEMP: temp, GITHUB_ENV: ghEnv, GITHUB_PATH: ghPath, CI: "true" };
    for (const line of fs.readFileSync(ghEnv, "utf8").split("\n").filter(Boolean)) {
      const i = line.indexOf("=");
      env[line.slice(0, i)] = line.slice(i + 1);
    }
    const extra = fs.readFileSync(ghPath, "utf8").split("\n").filter(Boolean).reverse();
    if (extra.length) env.PATH = [...extra, env.PATH].join(":");
    Object.assign(env, step.env ?? {});
    const t0 = Date.now();
    const r = run("bash", ["-e", "-c", step.run], { cwd: dir, env, timeout: 900000 });
    if (process.env.README_TIMES) console.log(`  ci step "${name}": ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (r.status) { failed = true; fails.push(`${block.where}: step "${name}" failed (exit ${r.status}):\n${r.out.slice(-3000)}`); }
  }
  // the job's last step stopped the mock it started
  const pid = /REFOLD_MOCK_PID=(\d+)/.exec(fs.readFileSync(ghEnv, "utf8"))?.[1];
  if (pid) {
    const alive = () => { try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8")); } catch { return false; } };
    // a bounded poll (5 s): not our child, so no exit event to await; a zombie counts as stopped
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    if (alive()) { process.kill(+pid, "SIGKILL"); fails.push(`${block.where}: the job left refold-mock (pid ${pid}) running`); }
  } else fails.push(`${block.where}: the job never said which pid its refold-mock has`);
  if (!fails.length) fs.rmSync(dir, { recursive: true, force: true });
  return fails;
}

// A Node fragment (the webhook signature check): run with the names it uses bound to a real
// delivery; its last expression must be true, and false for a body altered by one byte.
export async function runNode(block, url) {
  const env = {};
  await prepare(url, "delivery", env);
  const verdict = (body) => vm.runInNewContext(block.code, {
    crypto, Buffer, rawBody: Buffer.from(body), process: { env: { REFOLD_API_KEY: "tk_acme_test" } },
    req: { headers: { "x-cobalt-signature": env.SIGNATURE } },
  });
  const fails = [];
  if (verdict(env.BODY) !== true) fails.push(`${block.where}: the signature check said ${verdict(env.BODY)} for a genuine delivery`);
  if (verdict(env.BODY.replace("hubspot", "hubspoT")) !== false) fails.push(`${block.where}: the signature check accepted an altered body`);
  return fails;
}

// An ES module fragment (the MCP SDK client): `base`, `token` and `serverId` bound to a configured
// server; a last line `EXPR; // {shown}` must evaluate to something matching the shown JSON.
export async function runMcpJs(block, url) {
  const env = {};
  await prepare(url, "mcp:acme-co", env);
  const lines = block.code.trimEnd().split("\n");
  const last = /^(.*?);\s*\/\/\s*(\{.*\})\s*$/.exec(lines[lines.length - 1]);
  if (!last) return [`${block.where}: the last line shows no result (EXPR; // {...})`];
  const dir = project("mcp");
  const src = `const base = ${JSON.stringify(url)}, token = ${JSON.stringify(env.token)}, serverId = ${JSON.stringify(env.serverId)};\n` +
    lines.slice(0, -1).join("\n") + `\nconst __result = ${last[1]};\nconsole.log(JSON.stringify(__result));\nawait client.close();\n`;
  fs.writeFileSync(path.join(dir, "fragment.mjs"), src);
  const r = run("node", ["fragment.mjs"], { cwd: dir, timeout: 60000 });
  if (r.status) return [`${block.where}: failed:\n${r.out.slice(0, 2000)}`];
  const out = r.out.trim().split("\n").pop();
  if (!matches(last[2], out)) return [`${block.where}: the doc shows ${last[2]}, it gave ${out.slice(0, 400)}`];
  fs.rmSync(dir, { recursive: true, force: true });
  return [];
}

// The banner: started as a user would (a scenario on the frozen clock), every URL it prints
// answers, every API key it lists works, and every curl it suggests succeeds as printed.
export async function runBanner(bin) {
  const dir = tmpdir("banner");
  const child = spawn(bin, ["--port", "0", "--scenario", "reauth-demo"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let banner = "";
  child.stdout.on("data", (c) => (banner += c));
  const fails = [];
  try {
    // until the banner's last line (the last key of the shipped fixtures) arrives, the child ends, or 5 s
    await new Promise((resolve) => {
      const bound = setTimeout(resolve, 5000);
      const check = () => { if (banner.includes("pk_globex_live")) { clearTimeout(bound); resolve(); } };
      child.stdout.on("data", check);
      child.on("exit", () => { clearTimeout(bound); resolve(); });
      check();
    });
    const url = /listening on (http\S+)/.exec(banner)?.[1];
    if (!url) return [`banner: no URL in ${JSON.stringify(banner)}`];
    for (const u of banner.match(/http:\/\/\S+\/__mock\/ui\S*/g) ?? []) {
      const r = await fetch(u);
      if (r.status !== 200) fails.push(`banner: ${u} answered ${r.status}`);
    }
    for (const [, key] of banner.matchAll(/API key (\S+)/g)) {
      const r = await fetch(`${url}/api/v2/public/linked-account`, { headers: { "x-api-key": key } });
      if (r.status !== 200) fails.push(`banner: API key ${key} answered ${r.status}`);
    }
    const hints = [...banner.matchAll(/: (curl .*)$/gm)].map((m) => m[1]);
    if (!hints.length) fails.push("banner: no curl hint with a scenario on the frozen clock");
    for (const hint of hints) {
      const r = run("bash", ["-c", `${hint} -s -o /dev/null -w '%{http_code}'`]);
      if (r.out.trim() !== "200") fails.push(`banner: \`${hint}\` answered ${r.out.trim()}`);
    }
  } finally {
    child.kill("SIGTERM");
    const code = await new Promise((r) => child.on("exit", (c) => r(c)));
    if (code !== 0) fails.push(`banner: the binary exited ${code} on SIGTERM`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return fails;
}

// ---- the stage ----

export function allBlocks() {
  const blocks = [], problems = [];
  for (const f of readmes(ROOT)) {
    const r = extract(fs.readFileSync(path.join(ROOT, f), "utf8"), f);
    blocks.push(...r.blocks);
    problems.push(...r.problems);
  }
  return { blocks, problems };
}

// mock/admin/README.md says its table is the whole admin API: every /__mock row of the route
// table must be on a line of it that names the route's method.
export function adminListed(routesDef, adminReadme) {
  const table = adminReadme.split("\n").filter((l) => l.startsWith("| "));
  const fails = [];
  for (const [, method, route] of routesDef.matchAll(/ROUTE(?:_501)?\("(GET|POST|PUT|PATCH|DELETE)", "(\/__mock[^"]*)"/g)) {
    const at = new RegExp(route.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![\\w/{])");
    if (!table.some((l) => at.test(l) && l.includes(method)))
      fails.push(`mock/admin/README.md: the admin table does not list ${method} ${route} (mock/routes.def)`);
  }
  return fails;
}

async function main() {
  const url = process.env.REFOLD_MOCK_URL, bin = process.env.REFOLD_MOCK_BIN;
  const build = process.env.REFOLD_BUILD_DIR ?? path.join(ROOT, "build");
  const only = process.env.README_ONLY; // a kind, to run one part by hand
  const { blocks, problems } = allBlocks();
  let failed = 0;
  const report = (name, fails) => {
    if (fails.length) { failed++; console.log(`FAIL ${name}`); for (const f of fails) console.log(`  ${f.replaceAll("\n", "\n  ")}`); }
    else console.log(`ok   ${name}`);
  };
  report("every code block is marked runnable or visibly not run", problems);
  report("mock/admin/README.md lists every /__mock route", adminListed(fs.readFileSync(path.join(ROOT, "mock/routes.def"), "utf8"),
                                                                     fs.readFileSync(path.join(ROOT, "mock/admin/README.md"), "utf8")));
  const of = (kind) => blocks.filter((b) => b.kind === kind);
  const want = (kind) => !only || only === kind;
  // shell blocks, grouped by session (blocks sharing variables)
  const sessions = new Map();
  for (const b of of("sh")) {
    const s = b.opts.session ?? b.where;
    if (!sessions.has(s)) sessions.set(s, []);
    sessions.get(s).push(b);
  }
  if (want("sh")) for (const [, bs] of sessions) report(`sh ${bs.map((b) => b.where).join(" + ")}`, await runSh(bs, url).catch((e) => [String(e.stack)]));
  const one = (kind) => { const b = of(kind); if (b.length !== 1) { report(`${kind} block`, [`expected one block marked ${kind}, found ${b.length}`]); return null; } return b[0]; };
  if (want("c")) { const c = one("c"), cc = one("cc"); if (c && cc) report(`c ${c.where} + ${cc.where}`, await runC(c, cc, { url, build }).catch((e) => [String(e.stack)])); }
  if (want("jest")) { const b = one("jest"); if (b) report(`jest ${b.where}`, await runJest(b, url).catch((e) => [String(e.stack)])); }
  if (want("pytest")) { const b = one("pytest"); if (b) report(`pytest ${b.where}`, await runPytest(b, url).catch((e) => [String(e.stack)])); }
  if (want("node")) for (const b of of("node")) report(`node ${b.where}`, await runNode(b, url).catch((e) => [String(e.stack)]));
  if (want("mcp-js")) for (const b of of("mcp-js")) report(`mcp-js ${b.where}`, await runMcpJs(b, url).catch((e) => [String(e.stack)]));
  if (want("ci")) { const b = one("ci"), j = one("jest"); if (b && j) report(`ci ${b.where}`, await runCi(b, j).catch((e) => [String(e.stack)])); }
  if (want("banner")) report("banner of the binary", await runBanner(bin).catch((e) => [String(e.stack)]));
  const skipped = of("skip");
  console.log(`readme: ${blocks.length - skipped.length} blocks run, ${skipped.length} marked not run (${skipped.map((b) => b.where).join(", ")})`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
