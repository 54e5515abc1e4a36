#!/usr/bin/env node
// `npm run docs:api`: writes docs/api.md's error catalogue from ERROR_CATALOGUE (libs/errors),
// between the page's error-catalogue markers; the rest of the page is hand-written and kept.
// `--check` only reports whether the page is up to date (exit 1 when it is not).
// Runs the TypeScript source through ts-node's transpile-only mode: no build needed.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
const { renderErrorCatalogue, withCatalogue } = require(join(root, 'libs/errors/src/error-catalogue-doc.ts'));

const file = join(root, 'docs/api.md');
const page = readFileSync(file, 'utf8');
const next = withCatalogue(page, renderErrorCatalogue());

if (next === page) {
  console.log('docs/api.md: the error catalogue is up to date');
} else if (process.argv.includes('--check')) {
  console.error('docs/api.md: the error catalogue differs from libs/errors; run npm run docs:api');
  process.exit(1);
} else {
  writeFileSync(file, next);
  console.log('docs/api.md: error catalogue written from libs/errors');
}
