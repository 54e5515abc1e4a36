// Installing a missing server (or the console tests' browser) with apt-get, when we are root.
import { UserError, run, which } from '../proc.mjs';
import { indent } from './support.mjs';

let aptUpdated = false;
let aptQueue = Promise.resolve();

/**
 * `apt-get install -y pkg` when we are root on a Debian-like system; false when not possible.
 * One at a time (dpkg holds a lock): the browser for the console tests and a missing server may
 * be installed by tasks that run in parallel.
 */
export function aptInstall(pkg, ctx) {
  const next = aptQueue.then(() => aptInstallNow(pkg, ctx));
  aptQueue = next.catch(() => undefined);
  return next;
}

async function aptInstallNow(pkg, ctx) {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !which('apt-get')) return false;
  ctx.log(`${pkg} is not installed: installing it with apt-get (we are root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [...(aptUpdated ? [] : [['update']]), ['install', '-y', '--no-install-recommends', pkg]];
  for (const args of steps) {
    const res = await run('apt-get', args, { env, capture: true });
    if (res.code !== 0) {
      throw new UserError(`\`apt-get ${args.join(' ')}\` failed:\n${indent(res.output)}`);
    }
    if (args[0] === 'update') aptUpdated = true;
  }
  return true;
}
