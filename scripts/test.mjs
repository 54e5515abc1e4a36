// `npm test [-- <jest args>]`: the one command that checks everything, on a laptop or in CI.
//   1. install dependencies if needed;
//   2. static checks (eslint, prettier, tsc, dependency-cruiser), stopping at the first failure,
//      while MongoDB/Redis/RabbitMQ are provisioned, and Chromium installed if missing, in
//      parallel (that is mostly waiting on I/O);
//   3. the admin console: its build (the browser tests drive it) and its component tests (Vitest);
//   4. jest, with the infrastructure's URLs and the browser's path in its environment;
//   5. the short scale-out drills (`npm run drills -- --short`), unless jest was given arguments;
//   6. stop what was started; exit 1 when any test or drill failed.
// Exit codes: 1 when a static check or a test fails; 2 when setup (deps, infrastructure,
// browser, console build) fails.
// Env: MAX_WORKERS (jest workers, default 2: the reference machine has 2 cores),
//      SKIP_STATIC_CHECKS=1 (run jest only, for quick local loops), SKIP_DRILLS=1, plus what
//      infra.mjs reads.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './browser.mjs';
import { ensureDeps } from './ensure-deps.mjs';
import { startInfra } from './infra.mjs';
import { ROOT, UserError, bin, exit, logger, onExit, run, secs, terminate, track } from './proc.mjs';

const log = logger('test');
const CONSOLE_CONFIG = 'apps/admin-console/vite.config.ts';
const timings = [];

const CHECKS = [
  { name: 'eslint', args: ['.', '--max-warnings', '0'] },
  { name: 'prettier', args: ['--check', '.'] },
  { name: 'tsc', args: ['-p', 'tsconfig.json', '--noEmit'] },
  { name: 'tsc', label: 'tsc (admin console)', args: ['-p', 'apps/admin-console/tsconfig.json'] },
  { name: 'depcruise', args: ['apps', 'libs', '--config', '.dependency-cruiser.cjs'] },
];

async function main() {
  const t0 = Date.now();
  const jestArgs = process.argv.slice(2);
  const runId = process.env.LOYALTY_TEST_RUN_ID || randomBytes(4).toString('hex');

  await timed('deps', () => ensureDeps({ log }));

  const infraStarted = Date.now();
  const infraPromise = startInfra({ log: logger('infra') }).finally(() =>
    timings.push(['infra (in parallel)', Date.now() - infraStarted]),
  );
  infraPromise.catch(() => {}); // awaited below; don't let it count as unhandled meanwhile
  const browserPromise = ensureChromium({ log: logger('browser') });
  browserPromise.catch(() => {});

  let failedCheck = null;
  if (process.env.SKIP_STATIC_CHECKS === '1') log.warn('SKIP_STATIC_CHECKS=1: skipping the static checks');
  else failedCheck = await timed('static checks', runChecks);

  if (failedCheck) {
    await infraPromise.then((infra) => infra.stop()).catch(() => {});
    summary(t0);
    log.error(`${failedCheck} failed: see its output above. Fix it, then run \`npm test\` again.`);
    return 1;
  }

  const infra = await infraPromise;
  let consoleTests;
  try {
    const chromium = await browserPromise;
    await timed('console build', buildConsole);
    consoleTests = await timed('vitest', runVitest);
    const jest = await timed('jest', () =>
      runJest(jestArgs, { ...infra.env, LOYALTY_TEST_RUN_ID: runId, CHROMIUM_PATH: chromium }),
    );
    printTotals(consoleTests, jest);
    // The short scale-out drills (issue 21): a whole run only, not a filtered one.
    const drills =
      jestArgs.length || process.env.SKIP_DRILLS === '1'
        ? (log.warn('skipping the drills (a filtered run, or SKIP_DRILLS=1)'), 0)
        : await timed('drills', () => runDrills(infra.env));
    return consoleTests.code !== 0 || jest.code !== 0 || drills !== 0 ? 1 : 0;
  } finally {
    await timed('infra stop', () => infra.stop());
    summary(t0);
  }
}

/** The console's production build into dist/admin-console, which the gateway serves. */
async function buildConsole() {
  const res = await run(bin('vite'), ['build', '--config', CONSOLE_CONFIG, '--logLevel', 'warn'], {
    capture: true,
  });
  if (res.code !== 0) {
    process.stderr.write(res.output);
    throw new UserError('the admin console did not build (vite build, output above).');
  }
  log('✔ admin console built (dist/admin-console)');
}

/** The console's component tests; resolves their counts from Vitest's JSON report. */
async function runVitest() {
  const dir = mkdtempSync(join(os.tmpdir(), 'loyalty-vitest-'));
  const report = join(dir, 'report.json');
  const args = [
    'run',
    '--config',
    CONSOLE_CONFIG,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ];
  log('vitest (admin console component tests)');
  const { code } = await run(bin('vitest'), args);
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    return {
      code,
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    };
  } catch {
    return { code: code || 1, passed: 0, failed: 0, skipped: 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `npm run drills -- --short`: a replica set, a RabbitMQ cluster and two replicas of every app,
 * one drill of each kind. It builds and provisions its own cluster; Redis is the one above.
 */
async function runDrills(env) {
  log('drills (node scripts/drills.mjs --short)');
  const child = track(
    spawn(process.execPath, [join(ROOT, 'scripts', 'drills.mjs'), '--short'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    }),
  );
  const unregister = onExit(() => terminate(child, { timeoutMs: 15_000 }));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  unregister();
  log(code === 0 ? '✔ drills passed' : `drills failed (exit ${code}): see their FAIL lines above`);
  return code;
}

/** Plain, machine-readable summary lines (kept unprefixed on purpose). */
function printTotals(vitest, jest) {
  console.log(
    `console tests (vitest): ${vitest.passed} passed, ${vitest.failed} failed, ${vitest.skipped} skipped`,
  );
  if (!jest.counts) return;
  const all = ['passed', 'failed', 'skipped'].map((k) => vitest[k] + jest.counts[k]);
  console.log(`tests: ${all[0]} passed, ${all[1]} failed, ${all[2]} skipped`);
}

async function timed(name, fn) {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([name, Date.now() - started]);
  }
}

/** Runs the checks in order; returns the name of the first that failed, or null. */
async function runChecks() {
  for (const check of CHECKS) {
    const started = Date.now();
    // Output is captured (and shown only on failure) so it doesn't interleave with the
    // infrastructure's progress messages.
    const res = await run(bin(check.name), check.args, { capture: true }).catch((err) => {
      throw new UserError(
        `cannot run ${check.name} (${err.message}): is node_modules complete? Try \`npm ci\`.`,
      );
    });
    if (res.code !== 0) {
      process.stderr.write(res.output);
      log.error(`${check.name} ${check.args.join(' ')}: exit ${res.code ?? res.signal}`);
      return check.label ?? check.name;
    }
    log(`✔ ${check.label ?? check.name} (${secs(Date.now() - started)})`);
  }
  return null;
}

/** Runs jest (output streamed) and resolves with its exit code and counts. */
async function runJest(userArgs, extraEnv) {
  const args = ['--ci'];
  const has = (...flags) => userArgs.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  if (!has('--maxWorkers', '-w', '--runInBand', '-i'))
    args.push(`--maxWorkers=${process.env.MAX_WORKERS || 2}`);
  // A JSON report lets us print one plain "N passed, N failed" line at the end.
  const reportDir = mkdtempSync(join(os.tmpdir(), 'loyalty-jest-'));
  const report = join(reportDir, 'report.json');
  if (!has('--json', '--outputFile')) args.push('--json', `--outputFile=${report}`);
  args.push(...userArgs);

  log(`jest ${args.join(' ')} (run id ${extraEnv.LOYALTY_TEST_RUN_ID})`);
  const child = track(
    spawn(bin('jest'), args, { cwd: ROOT, env: { ...process.env, ...extraEnv }, stdio: 'inherit' }),
  );
  // On Ctrl-C/SIGTERM: stop jest first (registered after the infra hook, so it runs before it).
  const unregister = onExit(() => terminate(child, { timeoutMs: 10_000 }));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  unregister();

  log(`jest exited with code ${code}`);
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const counts = {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    };
    console.log(`jest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    return { code, counts };
  } catch {
    return { code };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

function summary(t0) {
  const parts = timings.map(([name, ms]) => `${name} ${secs(ms)}`).join(' · ');
  log(`total ${secs(Date.now() - t0)}: ${parts}`);
}

main().then(exit, (err) => {
  if (err instanceof UserError) log.error(err.message);
  else console.error(err);
  exit(2);
});
