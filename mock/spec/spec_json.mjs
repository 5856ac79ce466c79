// spec_json.mjs: converts Refold's published OpenAPI spec (tests/contract/refold-openapi.yaml)
// into mock/spec/refold-openapi.json, the copy the mock embeds and checks request bodies against
// (mock/spec_check.c). Run again when the YAML changes:
//   npm ci --prefix tests/contract && node mock/spec/spec_json.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'tests/contract/package.json'));
const YAML = require('yaml');
const spec = YAML.parse(readFileSync(join(root, 'tests/contract/refold-openapi.yaml'), 'utf8'));
writeFileSync(join(root, 'mock/spec/refold-openapi.json'), JSON.stringify(spec) + '\n');
