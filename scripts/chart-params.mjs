#!/usr/bin/env node
// `node scripts/chart-params.mjs`: writes deploy/README.md's table of the Helm chart's parameters
// between its chart-parameters markers, from deploy/helm/loyalty-platform/values.schema.json (the
// parameters, their types and descriptions) and values.yaml (their defaults); the rest of the page
// is hand-written and kept. `--check` only reports whether the table is up to date (exit 1 when it
// is not; test/deploy checks it). `--readme <file>` reads (and writes) another copy of the page.
// The output is already in Prettier's form, so `format:check` passes on the page.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chart = join(root, 'deploy/helm/loyalty-platform');
export const START = '<!-- chart-parameters:start -->';
export const END = '<!-- chart-parameters:end -->';
const MAX_DEFAULT = 48;
const MAX_PER_APP = 90;

const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));

/** The definition a `$ref` (or a one-item `allOf` holding one, how the schema describes a $ref) names. */
function refOf(node) {
  const ref = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0].$ref : undefined);
  return ref ? ref.replace('#/definitions/', '') : undefined;
}

function typeOf(node) {
  const ref = refOf(node);
  if (ref) return schema.definitions[ref].title ?? ref;
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(', ');
  if (Array.isArray(node.type)) return node.type.join(' or ');
  if (node.type)
    return node.type === 'object' && node.additionalProperties?.type
      ? `map of ${node.additionalProperties.type}s`
      : node.type;
  if (node.anyOf) return [...new Set(node.anyOf.map(typeOf))].join(' or ');
  return 'any';
}

/** A parameter group: an object whose parameters get rows of their own. */
const isGroup = (node) => node.type === 'object' && node.properties !== undefined && !refOf(node);

function shown(value) {
  if (value === undefined) return '';
  let text = JSON.stringify(value);
  if (text.length > MAX_DEFAULT) text = `${text.slice(0, MAX_DEFAULT - 1)}…`;
  return `\`${text}\``;
}

/** Per-app defaults: the most common value, then the apps that differ. */
function perApp(byApp) {
  const counts = new Map();
  for (const v of Object.values(byApp)) counts.set(shown(v), (counts.get(shown(v)) ?? 0) + 1);
  const [common] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  const others = Object.entries(byApp).filter(([, v]) => shown(v) !== common);
  const text = [common, ...others.map(([app, v]) => `${app}: ${shown(v) || 'none'}`)]
    .filter(Boolean)
    .join('; ');
  return text.length > MAX_PER_APP ? 'per app (values.yaml)' : text;
}

function rows() {
  const out = [];
  const leaf = (path, node, defaults) => {
    if (!node.description) throw new Error(`values.schema.json: ${path} has no description`);
    out.push([`\`${path}\``, typeOf(node), defaults, node.description]);
  };
  const walk = (node, path, value) => {
    for (const [key, prop] of Object.entries(node.properties)) {
      const p = path ? `${path}.${key}` : key;
      if (p === 'apps') appRows();
      else if (isGroup(prop)) walk(prop, p, value?.[key]);
      else leaf(p, prop, shown(value?.[key]));
    }
  };
  const appRows = () => {
    const apps = Object.keys(schema.properties.apps.properties);
    const walkApp = (node, path, pick) => {
      for (const [key, prop] of Object.entries(node.properties)) {
        const p = `${path}.${key}`;
        const get = (app) => pick(app)?.[key];
        if (isGroup(prop)) walkApp(prop, p, get);
        else leaf(p, prop, perApp(Object.fromEntries(apps.map((app) => [app, get(app)]))));
      }
    };
    walkApp(schema.definitions.app, 'apps.<app>', (app) => values.apps[app]);
  };
  walk(schema, '', values);
  return out;
}

/** A Markdown table padded the way Prettier pads one, so formatting the page changes nothing. */
function table(header, body) {
  const cell = (c) => c.replace(/\|/g, '\\|');
  const all = [header, ...body].map((r) => r.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(all[0]), line(widths.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)].join('\n');
}

export function renderParameters() {
  const note =
    '<!-- Generated from values.schema.json and values.yaml by `node scripts/chart-params.mjs`: edit those, not this table. -->';
  return `\n\n${note}\n\n${table(['Parameter', 'Type', 'Default', 'Description'], rows())}\n\n`;
}

function withParameters(page, file) {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} needs ${START} followed by ${END}`);
  return page.slice(0, start + START.length) + renderParameters() + page.slice(end);
}

const args = process.argv.slice(2);
const at = args.indexOf('--readme');
const file = at >= 0 ? args[at + 1] : join(root, 'deploy/README.md');
const name = relative(root, file);
const page = readFileSync(file, 'utf8');
const next = withParameters(page, name);
if (next === page) {
  console.log(`${name}: the chart's parameters table is up to date`);
} else if (args.includes('--check')) {
  console.error(
    `${name}: the chart's parameters table differs from values.schema.json and values.yaml; run node scripts/chart-params.mjs`,
  );
  process.exit(1);
} else {
  writeFileSync(file, next);
  console.log(`${name}: the chart's parameters table written`);
}
