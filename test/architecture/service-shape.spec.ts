import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one shape of every service (docs/architecture.md, "One shape for every service"): this
 * walks the tree so that a file in the wrong place fails `npm test` with its path and the rule.
 */
const ROOT = join(__dirname, '..', '..');
const SERVICES = ['auth', 'loyalty', 'promotion', 'coupon-worker', 'webhook-dispatcher'];
/** Layer folders an area may have besides its use-case folders. */
const LAYERS = new Set(['domain', 'ports', 'mongo', 'adapters', 'queries', 'services']);
/** Use-case folders are `<verb>-<noun…>`; the verb comes from this list (extend it with real verbs). */
const VERBS = new Set([
  'append',
  'assign',
  'change',
  'create',
  'enroll',
  'ensure',
  'generate',
  'issue',
  'list',
  'lock',
  'log',
  'record',
  'redeem',
  'refresh',
  'register',
  'release',
  'request',
  'send',
  'update',
  'upload',
  'verify',
  'issue',
  'expire',
  'refund',
  'reverse',
  'rotate',
  'revoke',
  'set',
  'sweep',
  'deliver',
  'manage',
  'sign',
  'count',
  'gather',
  'run',
  'claim',
  'publish',
  'read',
  'find',
  'show',
  'get',
  'disable',
  'delete',
  'retry',
  'dispatch',
]);
const SPEC = /\.(spec|int-spec|e2e-spec)\.ts$/;

function entries(dir: string): { files: string[]; dirs: string[] } {
  const names = readdirSync(dir);
  return {
    files: names.filter((n) => statSync(join(dir, n)).isFile()),
    dirs: names.filter((n) => statSync(join(dir, n)).isDirectory()),
  };
}

function problemsOf(service: string): string[] {
  const src = join(ROOT, 'apps', service, 'src');
  const problems: string[] = [];
  const top = entries(src);
  const rootFiles = new Set(['main.ts', `${service}.module.ts`, `${service}.settings.ts`]);
  for (const file of top.files) {
    if (!rootFiles.has(file) && !SPEC.test(file)) {
      problems.push(
        `apps/${service}/src/${file}: only main.ts, ${service}.module.ts and ${service}.settings.ts sit at src/; move it into an area`,
      );
    }
  }
  if (!top.files.includes(`${service}.module.ts`))
    problems.push(`apps/${service}/src: no ${service}.module.ts`);
  for (const area of top.dirs) {
    const dir = join(src, area);
    const { files, dirs } = entries(dir);
    const areaFiles = new Set([`${area}.module.ts`, `${area}.rpc-controller.ts`, `${area}.settings.ts`]);
    if (!files.includes(`${area}.module.ts`))
      problems.push(`apps/${service}/src/${area}: an area needs ${area}.module.ts`);
    for (const file of files) {
      if (!areaFiles.has(file) && !SPEC.test(file)) {
        problems.push(
          `apps/${service}/src/${area}/${file}: an area's root holds only its module, RPC controller and settings; put it in a use-case folder or domain/ ports/ services/ mongo/ adapters/ queries/`,
        );
      }
    }
    for (const sub of dirs) {
      if (LAYERS.has(sub)) continue;
      const [verb, ...noun] = sub.split('-');
      if (!VERBS.has(verb) || noun.length === 0) {
        problems.push(
          `apps/${service}/src/${area}/${sub}: a use-case folder is named <verb>-<noun> (e.g. record-purchase)`,
        );
      }
      const inner = entries(join(dir, sub));
      if (inner.dirs.length)
        problems.push(`apps/${service}/src/${area}/${sub}: a use-case folder holds files only`);
    }
  }
  return problems;
}

describe('every service has the one area shape', () => {
  it.each(SERVICES)(
    '%s: areas of use-case folders, domain/, ports/, mongo/, queries/, a module each',
    (service) => {
      expect(problemsOf(service)).toEqual([]);
    },
  );
});
