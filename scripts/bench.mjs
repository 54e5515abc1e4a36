// `npm run bench [-- <filter>]`: run the benchmarks in bench/*.bench.ts against real infrastructure.
//   1. install dependencies if needed (scripts/ensure-deps.mjs);
//   2. make the infrastructure reachable (scripts/infra.mjs) while building (`npm run build:bench`:
//      tsconfig.bench.json compiles bench/ with the apps, libs and test support it uses into
//      dist/bench/, apart from the production build, then the admin console the gateway serves);
//   3. run each dist/bench/bench/<name>.bench.js whose name contains <filter> (all without one), in
//      sequence, with the infrastructure's URLs in its environment;
//   4. stop what was started.
// stdout carries only the benchmarks' own output (one JSON line per figure); everything else
// (our progress, npm, tsc, docker...) goes to stderr. Exit codes: 0 ok; 1 when a benchmark
// failed; 2 when setup (deps, infrastructure, build) failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT, UserError, exit, onExit, run, secs, terminate, track } from './proc.mjs';

// Children we spawn with inherited stdio (npm ci, tsc, docker compose...) would write to our
// stdout. So this script re-runs itself with its stdout on stderr, and hands the real stdout
// over as another file descriptor, which becomes the benchmarks' stdout.
const RESULTS_FD_VAR = 'LOYALTY_BENCH_RESULTS_FD';

function makeLog(prefix) {
  const log = (...args) => console.error(prefix, ...args);
  log.warn = (...args) => console.error(prefix, 'warning:', ...args);
  log.error = (...args) => console.error(prefix, '✖', ...args);
  return log;
}
const log = makeLog('[bench]');

// Set on Ctrl-C/SIGTERM, while proc.mjs's exit hooks stop the benchmark and the infrastructure.
let interrupted = false;

function relaunch() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 2, 'inherit', 1],
    env: { ...process.env, [RESULTS_FD_VAR]: '3' },
  });
  // Ctrl-C reaches the child directly (same process group); a signal sent to us alone is passed on.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    log.error(`cannot run node: ${err.message}`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
}

async function main() {
  const t0 = Date.now();
  const resultsFd = Number(process.env[RESULTS_FD_VAR]);
  const filter = process.argv[2];
  if (process.argv.length > 3) throw new UserError('usage: npm run bench [-- <filter>]');

  await ensureDependencies();

  // One source file per benchmark: stale files left in dist/bench by a deleted benchmark are not run.
  const all = existsSync(join(ROOT, 'bench'))
    ? readdirSync(join(ROOT, 'bench'))
        .filter((f) => f.endsWith('.bench.ts'))
        .map((f) => f.slice(0, -'.bench.ts'.length))
        .sort()
    : [];
  const selected = all.filter((name) => !filter || name.includes(filter));
  if (!selected.length) {
    throw new UserError(
      filter
        ? `no benchmark matches "${filter}"; there are: ${all.join(', ') || 'none'}`
        : 'no benchmarks: bench/*.bench.ts is empty',
    );
  }

  const infraPromise = provisionInfra();
  infraPromise.catch(() => {}); // awaited below; don't let it count as unhandled meanwhile
  try {
    log('building (npm run build:bench)…');
    const started = Date.now();
    const build = await run('npm', ['run', 'build:bench'], { cwd: ROOT });
    if (build.code !== 0)
      throw new UserError(`\`npm run build:bench\` failed (exit ${build.code ?? build.signal}): see above.`);
    log(`built in ${secs(Date.now() - started)}`);
  } catch (err) {
    await infraPromise.then((infra) => infra.stop()).catch(() => {});
    throw err;
  }
  const infra = await infraPromise;

  const failed = [];
  try {
    for (const name of selected) {
      const file = join(ROOT, 'dist', 'bench', 'bench', `${name}.bench.js`);
      if (!existsSync(file)) throw new UserError(`the build did not produce ${file}`);
      log(`running ${name}…`);
      const started = Date.now();
      const code = await runBench(file, infra.env, resultsFd);
      if (interrupted) return 130; // proc.mjs's exit hooks are stopping everything
      if (code === 0) log(`${name} done in ${secs(Date.now() - started)}`);
      else {
        log.error(`${name} failed (exit ${code}): see its output above`);
        failed.push(name);
      }
    }
  } finally {
    if (!interrupted) log('stopping the infrastructure…');
    await infra.stop();
  }
  log(
    `total ${secs(Date.now() - t0)}: ${selected.length - failed.length} of ${selected.length} benchmarks ran`,
  );
  return failed.length ? 1 : 0;
}

/** scripts/ensure-deps.mjs when there is one; otherwise `npm ci` if node_modules is missing. */
async function ensureDependencies() {
  if (existsSync(join(ROOT, 'scripts', 'ensure-deps.mjs'))) {
    const { ensureDeps } = await import(pathToFileURL(join(ROOT, 'scripts', 'ensure-deps.mjs')).href);
    if (typeof ensureDeps === 'function') return ensureDeps({ log });
  }
  if (existsSync(join(ROOT, 'node_modules'))) return;
  log('installing dependencies (npm ci)…');
  const res = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT });
  if (res.code !== 0) throw new UserError(`\`npm ci\` failed (exit ${res.code ?? res.signal}): see above.`);
}

/** RabbitMQ (and for now whatever else scripts/infra.mjs provides): { env, stop }. */
async function provisionInfra() {
  const { startInfra } = await import(pathToFileURL(join(ROOT, 'scripts', 'infra.mjs')).href);
  if (typeof startInfra !== 'function') throw new UserError('scripts/infra.mjs does not export startInfra()');
  // The benchmarks only need RabbitMQ; `services` is a hint for infra.mjs (ignored while it
  // provisions everything).
  const infra = await startInfra({ log: makeLog('[bench] infra:'), services: ['rabbitmq'] });
  if (!infra?.env?.RABBITMQ_URL) {
    await infra?.stop?.();
    throw new UserError('scripts/infra.mjs returned no RABBITMQ_URL');
  }
  return { env: infra.env, stop: async () => infra.stop?.() };
}

/** Runs one benchmark (stdout: the results fd; stderr: ours) and resolves with its exit code. */
async function runBench(file, env, resultsFd) {
  const child = track(
    spawn(process.execPath, [file], {
      cwd: ROOT,
      env: { ...process.env, ...env, [RESULTS_FD_VAR]: undefined },
      stdio: ['ignore', Number.isInteger(resultsFd) ? resultsFd : 'inherit', 'inherit'],
    }),
  );
  // On Ctrl-C/SIGTERM: stop the benchmark before the infrastructure (hooks run in reverse order).
  const unregister = onExit(() => terminate(child, { timeoutMs: 10_000 }));
  try {
    return await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    unregister();
  }
}

if (!process.env[RESULTS_FD_VAR]) relaunch();
else {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => (interrupted = true));
  main().then(exit, (err) => {
    if (err instanceof UserError) log.error(err.message);
    else console.error(err);
    exit(2);
  });
}
