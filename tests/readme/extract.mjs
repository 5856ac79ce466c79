// extract.mjs: finds the READMEs' fenced code blocks and their readme-test markers, and matches a
// command's output against the output a block shows (ids, tokens and times ignored). No I/O but
// reading the files: the unit checks (selftest.mjs) feed it text.
import fs from "node:fs";
import path from "node:path";

// Code in these languages must say what the readme test does with it.
export const CODE_LANGS = new Set(["sh", "bash", "c", "js", "python", "yaml"]);
const MARKER = /^<!-- readme-test: ([a-z-]+)((?: [a-z-]+=[^ ]+)*) -->$/;
export const SKIP_NOTE = /^\*Not run by the readme test: .+\.\*$/;

// The docs of the tree: the top README and every */README.md, */*/README.md, plus the other
// documents in upper case beside them (mock/PROXY.md).
const isDoc = (name) => name === "README.md" || /^[A-Z][A-Z_]*\.md$/.test(name);
export function readmes(root) {
  const out = ["README.md"];
  for (const d of fs.readdirSync(root).sort()) {
    if (d.startsWith(".") || d === "node_modules" || d.startsWith("build")) continue;
    const full = path.join(root, d);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const e of fs.readdirSync(full).sort()) if (isDoc(e)) out.push(`${d}/${e}`);
    for (const e of fs.readdirSync(full).sort()) {
      const f = path.join(d, e, "README.md");
      if (e !== "node_modules" && fs.existsSync(path.join(root, f))) out.push(f);
    }
  }
  return out;
}

// Blocks of one file: {file, line, lang, kind, opts, code}; problems: what is wrong with the markers.
export function extract(text, file) {
  const lines = text.split("\n"), blocks = [], problems = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    const lang = open[1], code = lines.slice(i + 1, end).join("\n") + "\n";
    let p = i - 1;
    while (p >= 0 && lines[p].trim() === "") p--;
    const m = p >= 0 ? MARKER.exec(lines[p].trim()) : null;
    const where = `${file}:${i + 1}`;
    if (m) {
      const opts = {};
      for (const kv of m[2].trim().split(" ").filter(Boolean)) {
        const [k, ...v] = kv.split("=");
        opts[k] = v.join("=");
      }
      blocks.push({ file, line: i + 1, lang, kind: m[1], opts, code, where });
      if (m[1] === "skip") {
        let n = end + 1;
        while (n < lines.length && lines[n].trim() === "") n++;
        if (!SKIP_NOTE.test(lines[n] ?? ""))
          problems.push(`${where}: a skipped block needs a visible line after it: *Not run by the readme test: <why>.*`);
      }
    } else if (CODE_LANGS.has(lang)) {
      problems.push(`${where}: a \`\`\`${lang} block without a marker: put <!-- readme-test: KIND --> on the line before it ` +
                    "(sh, c, cc, jest, pytest, ci, node, mcp-js), or <!-- readme-test: skip --> and a visible *Not run by the readme test: <why>.* after it");
    }
    i = end;
  }
  return { blocks, problems };
}

// A shell block as commands, each with the output lines the doc shows after it ("# {...", "# [...",
// "# \"..."). A command runs over lines ending in a backslash or inside an open quote.
export function commands(code) {
  const out = [];
  let cur = null, quote = null;
  for (const line of code.split("\n")) {
    if (!cur && !quote) {
      const shown = /^#\s?(\s*[[{"].*)$/.exec(line);
      if (shown && out.length) { out[out.length - 1].shown.push(shown[1].trim()); continue; }
      if (/^\s*(#.*)?$/.test(line)) continue;
    }
    cur = cur ? cur + "\n" + line : line;
    for (let k = 0; k < line.length; k++) {
      const ch = line[k];
      if (quote === "'") { if (ch === "'") quote = null; }
      else if (quote === '"') { if (ch === "\\") k++; else if (ch === '"') quote = null; }
      else if (ch === "\\") k++;
      else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === "#" && (k === 0 || /\s/.test(line[k - 1]))) break; // a comment to the end of the line
    }
    if (!quote && !/\\$/.test(line)) { out.push({ cmd: cur, shown: [] }); cur = null; }
  }
  if (cur) out.push({ cmd: cur, shown: [] });
  return out;
}

// The shown output as a pattern: "..." stands for anything, and ids, tokens and times for any
// id, token or time; the rest must be there as written. The whole output must match.
export function shownPattern(shown) {
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const parts = shown.split("...");
  const body = parts.map((part) =>
    esc(part)
      .replace(/<signature>/g, "[\\w-]+")
      .replace(/eyJ[\w-]+/g, "eyJ[\\w-]*")                                   // a JWT's segments
      .replace(/\b(?=[0-9a-f]*[0-9])[0-9a-f]{12,}\b/g, "[0-9a-f]+")           // hex ids
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\\\.\d+)?Z/g, "[0-9T:.Z-]+")  // ISO 8601
      .replace(/[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT/g, "[\\w,: ]+ GMT")
  ).join("[\\s\\S]*");
  return new RegExp(`^${body}$`);
}

export function matches(shown, actual) {
  return shownPattern(shown).test(actual.trim());
}
