// Install npm dependencies when they are missing or stale, so `npm test` / `npm run up` work on a
// fresh clone. Built-ins only: this runs before node_modules exists.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, UserError, run, secs } from './proc.mjs';

const MIN_NODE = [20, 19]; // keep in line with package.json "engines" (Vite, which builds the console, needs 20.19)

export async function ensureDeps({ log }) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    throw new UserError(
      `Node.js ${process.versions.node} is too old: this project needs Node.js >= ${MIN_NODE.join('.')} (Node 20.19+, 22 or 24 LTS; CI and the Docker image use 24).`,
    );
  }

  const lock = join(ROOT, 'package-lock.json');
  // npm writes node_modules/.package-lock.json at the end of every install: its mtime says
  // when node_modules was last brought in line with the lockfile.
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  if (!existsSync(lock)) {
    throw new UserError('package-lock.json is missing: run `npm install` once to create it, and commit it.');
  }
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;

  log(
    existsSync(installed)
      ? 'package-lock.json changed: installing dependencies (npm ci)…'
      : 'installing dependencies (npm ci)…',
  );
  const started = Date.now();
  let result;
  try {
    result = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT });
  } catch (err) {
    throw new UserError(
      `could not run npm (${err.message}): install Node.js (20.19+, 22 or 24) with npm and retry.`,
    );
  }
  if (result.code !== 0) {
    throw new UserError(
      `\`npm ci\` failed (exit ${result.code ?? result.signal}); see its output above. ` +
        'Check network access to the npm registry, or that package.json and package-lock.json agree.',
    );
  }
  log(`dependencies installed in ${secs(Date.now() - started)}`);
}
