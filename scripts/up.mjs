// `npm run up`: the whole platform running locally, in one command.
//   install deps → MongoDB/Redis/RabbitMQ (scripts/infra.mjs) → build → migrations → all apps,
//   then wait until every app's /health/ready answers 200 and print the URLs.
// Ctrl-C stops the apps (SIGTERM, up to 10s each), then the infrastructure this started.
// `node scripts/up.mjs --infra-only` only provisions the infrastructure and prints its env.
//
// Env: <APP>_PORT (GATEWAY_PORT, AUTH_PORT, LOYALTY_PORT, PROMOTION_PORT, COUPON_WORKER_PORT,
// WEBHOOK_DISPATCHER_PORT) override the default ports; everything else set in the shell or in
// ./.env is passed to the apps (shell wins over .env), e.g. WEBHOOKS_ALLOW_HTTP=true and
// WEBHOOKS_ALLOWED_PRIVATE_CIDRS=127.0.0.1/32 to deliver webhooks to a receiver on this machine
// (left unset, the dispatcher keeps its production defaults: https to public addresses only).
// The apps' JSON log lines are shown as readable coloured lines on a terminal, as they are
// otherwise; LOG_FORMAT=json or LOG_FORMAT=pretty forces one (proc.mjs). Exit codes: 1 when the
// build, a migration or an app fails, 2 when setup (deps, infrastructure) fails, 128+signal after
// Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { startInfra } from './infra.mjs';
import { redact } from './infra/support.mjs';
import {
  ROOT,
  UserError,
  appLogFormat,
  exit,
  logger,
  onExit,
  pipeLines,
  run,
  secs,
  sleep,
  terminate,
  track,
} from './proc.mjs';

const log = logger('up');

const APPS = [
  { name: 'gateway', port: 3000, migrate: false },
  { name: 'auth', port: 3001, migrate: true },
  { name: 'loyalty', port: 3002, migrate: true },
  { name: 'promotion', port: 3003, migrate: true },
  { name: 'coupon-worker', port: 3004, migrate: true },
  { name: 'webhook-dispatcher', port: 3005, migrate: true },
];
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

const portVar = (app) => `${app.toUpperCase().replace(/-/g, '_')}_PORT`; // coupon-worker → COUPON_WORKER_PORT
const entryOf = (app) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');

/**
 * Development-only secrets, made once into .keys/ (git-ignored, never committed) and reused:
 * the RS256 signing key of the auth service, and the bootstrap admin's password. Values already
 * set in the shell or .env win. Returns env vars for every app.
 */
async function prepareDevSecrets() {
  const dir = join(ROOT, '.keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const env = {};
  if (!process.env.JWT_PRIVATE_KEY && !process.env.JWT_PRIVATE_KEY_FILE) {
    const keyFile = join(dir, 'jwt-private.pem');
    if (!existsSync(keyFile)) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      log(`generated a development RS256 signing key: ${relative(ROOT, keyFile)} (git-ignored)`);
    }
    env.JWT_PRIVATE_KEY_FILE = keyFile;
  }
  if (!process.env.ADMIN_USERNAME && !process.env.ADMIN_PASSWORD) {
    const passwordFile = join(dir, 'admin-password');
    if (!existsSync(passwordFile)) {
      writeFileSync(passwordFile, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
    }
    env.ADMIN_USERNAME = 'admin';
    env.ADMIN_PASSWORD = readFileSync(passwordFile, 'utf8').trim();
    log(`admin account: admin / ${env.ADMIN_PASSWORD} (kept in ${relative(ROOT, passwordFile)})`);
  }
  return env;
}

async function main() {
  const infraOnly = process.argv.includes('--infra-only');
  loadDotEnv(join(ROOT, '.env'));
  for (const app of APPS) app.port = Number(process.env[portVar(app.name)] || app.port);
  if (!infraOnly) await checkPortsFree();

  await ensureDeps({ log });
  const secretsEnv = await prepareDevSecrets();
  const infra = await startInfra({ log: logger('infra') });

  if (infraOnly) {
    log('infrastructure is up. In another shell:');
    for (const [k, v] of Object.entries(infra.env)) console.log(`export ${k}='${v}'`);
    log('Ctrl-C stops it.');
    setInterval(() => {}, 1 << 30); // keep running until a signal
    return new Promise(() => {});
  }

  const baseEnv = {
    NODE_ENV: 'development', // unless the shell or .env says otherwise (next line)
    ...process.env,
    ...Object.fromEntries(APPS.map((a) => [portVar(a.name), String(a.port)])), // apps can find each other
    ...secretsEnv,
    ...infra.env,
  };

  await step('build', 'npm run build (the apps, then the admin console)', () => run('npm', ['run', 'build']));
  const missing = APPS.filter((a) => !existsSync(entryOf(a.name)));
  if (missing.length) {
    throw new StepError(
      `the build did not produce ${missing.map((a) => relative(ROOT, entryOf(a.name))).join(', ')}: ` +
        'does apps/<app>/src/main.ts exist and is it in tsconfig.build.json?',
    );
  }

  for (const app of APPS.filter((a) => a.migrate)) {
    await step(`migrate ${app.name}`, `node dist/apps/${app.name}/src/main.js migrate`, () =>
      runPrefixed(app.name, ['migrate'], { ...baseEnv, APP_NAME: app.name }, `migrate:${app.name}`),
    );
  }

  await startApps(baseEnv);
}

class StepError extends UserError {}

async function step(name, command, fn) {
  log(`${name}: ${command}…`);
  const started = Date.now();
  const res = await fn();
  if (res.code !== 0)
    throw new StepError(`${name} failed (exit ${res.code ?? res.signal}); see the output above.`);
  log(`${name}: done in ${secs(Date.now() - started)}`);
}

/** Run `node <app entry> ...args` to completion with its output prefixed. */
function runPrefixed(app, args, env, label) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [entryOf(app), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    pipeLines(child.stdout, prefix(label), process.stdout, undefined, appLogFormat(process.stdout));
    pipeLines(child.stderr, prefix(label), process.stderr, undefined, appLogFormat(process.stderr));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

// ---------------------------------------------------------------------------------------------
// Running the apps

async function startApps(baseEnv) {
  const running = [];
  let stopping = false;

  const stopApps = async () => {
    stopping = true;
    const alive = running.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    if (alive.length) log(`stopping ${alive.map((r) => r.app.name).join(', ')}…`);
    await Promise.all(alive.map((r) => terminate(r.child, { group: true, timeoutMs: STOP_TIMEOUT_MS })));
  };
  stopApps.sync = () => {
    for (const { child } of running) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  // Registered after the infrastructure's hook, so on Ctrl-C the apps stop first.
  onExit(stopApps);

  // Fatal: stop everything (apps, then infrastructure via the exit hooks) and exit 1.
  const fail = (message) => {
    if (stopping) return;
    stopping = true;
    log.error(message);
    exit(1); // runs the exit hooks: the same ordered cleanup as Ctrl-C
  };

  const t0 = Date.now();
  // METRICS_PORT in the shell or .env: one port per app from it (the apps can't share one).
  const metricsBase = Number(baseEnv.METRICS_PORT) || 0;
  for (const [index, app] of APPS.entries()) {
    const metricsEnv = metricsBase ? { METRICS_PORT: String(metricsBase + index) } : {};
    log(
      `starting ${app.name} on port ${app.port}${metricsBase ? `, metrics on ${metricsBase + index}` : ''}…`,
    );
    // detached: own process group, so the terminal's Ctrl-C reaches only us and each app gets
    // exactly one SIGTERM from us (a second signal would cut its graceful shutdown short).
    const child = spawn(process.execPath, [entryOf(app.name)], {
      cwd: ROOT,
      env: { ...baseEnv, ...metricsEnv, PORT: String(app.port), APP_NAME: app.name },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const lastLines = [];
    const keep = (line) => {
      lastLines.push(line);
      if (lastLines.length > 30) lastLines.shift();
    };
    pipeLines(child.stdout, prefix(app.name), process.stdout, keep, appLogFormat(process.stdout));
    pipeLines(child.stderr, prefix(app.name), process.stderr, keep, appLogFormat(process.stderr));
    child.on('error', (err) => fail(`could not start ${app.name}: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (!stopping)
        fail(`${app.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
    });
    running.push({ app, child, lastLines });
  }

  const notReady = await waitReady(running, () => stopping);
  if (stopping) return;
  if (notReady.length) {
    for (const r of notReady) {
      log.error(
        `${r.app.name} is not ready after ${secs(READY_TIMEOUT_MS)} (http://127.0.0.1:${r.app.port}/health/ready).`,
      );
      log(
        `last lines of ${r.app.name}'s output:\n${r.lastLines.map((l) => `    ${l}`).join('\n') || '    (none)'}`,
      );
    }
    fail('not all apps became ready; stopping everything.');
    return;
  }

  const gw = APPS[0].port;
  const rows = APPS.map(
    (a) =>
      `    ${a.name.padEnd(18)} health http://localhost:${a.port}/health/ready   metrics http://localhost:${a.port}/metrics`,
  );
  log(
    [
      `all apps ready in ${secs(Date.now() - t0)}:`,
      `    API                http://localhost:${gw}/v1`,
      `    API docs           http://localhost:${gw}/docs`,
      `    Admin console      http://localhost:${gw}/admin (sign in as the admin account above)`,
      ...rows,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

/** Polls every app's /health/ready until all answer 200; returns those that never did. */
async function waitReady(running, cancelled) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(running);
  while (pending.size && Date.now() < deadline && !cancelled()) {
    await Promise.all(
      [...pending].map(async (r) => {
        try {
          const res = await fetch(`http://127.0.0.1:${r.app.port}/health/ready`, {
            signal: AbortSignal.timeout(2000),
          });
          if (res.status === 200) {
            pending.delete(r);
            log(`${r.app.name} is ready`);
          }
        } catch {
          // not listening yet
        }
      }),
    );
    if (pending.size) await sleep(500);
  }
  return [...pending];
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const COLORS = [36, 35, 33, 32, 34, 31, 96, 95];
const colorOf = new Map();

/** "gateway            | " (colored on a terminal), like docker compose's log prefixes. */
function prefix(label) {
  const text = `${label.padEnd(18)} | `;
  if (!process.stdout.isTTY) return text;
  if (!colorOf.has(label)) colorOf.set(label, COLORS[colorOf.size % COLORS.length]);
  return `\x1b[${colorOf.get(label)}m${text}\x1b[0m`;
}

/** Fail early and clearly if a port is taken (e.g. by another `npm run up`). */
async function checkPortsFree() {
  for (const app of APPS) {
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(app.port, () => server.close(() => resolve(true)));
    });
    if (!free) {
      throw new StepError(
        `port ${app.port} (${app.name}) is already in use, maybe by another \`npm run up\`. ` +
          `Stop it, or choose another port with ${portVar(app.name)}=<port>.`,
      );
    }
  }
}

/**
 * Minimal .env reader: KEY=VALUE lines, `#` comments, optional `export `, optional quotes
 * ("…" understands \n, handy for PEM keys). Variables already set in the environment win.
 */
function loadDotEnv(file) {
  if (!existsSync(file)) return;
  const loaded = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      if (!m) return log.warn(`.env line ${i + 1} is not KEY=VALUE; ignored`);
      let value = m[2];
      if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"');
      else if (/^'.*'$/.test(value)) value = value.slice(1, -1);
      else value = value.replace(/\s+#.*$/, '');
      if (process.env[m[1]] === undefined) {
        process.env[m[1]] = value;
        loaded.push(m[1]);
      }
    });
  log(`.env: set ${loaded.length ? loaded.join(', ') : 'nothing new'} (the shell's variables win over .env)`);
}

main().catch((err) => {
  if (err instanceof UserError) log.error(redact(err.message));
  else console.error(err);
  exit(err instanceof StepError ? 1 : 2);
});
