// `npm run drills [-- --short]`: scale-out drills on one machine (issue 21). Builds the apps
// (`npm run build`) and the drills (tsconfig.drills.json, into dist/drills) while it starts a
// 3-member MongoDB replica set and a 3-node RabbitMQ cluster (scripts/drills/cluster; Redis is
// the machine's, from scripts/infra), then drills/main.ts runs two replicas of every app under an
// open-loop mix and kills, in turn, the MongoDB primary, a RabbitMQ node and one replica of each
// app, printing PASS/FAIL lines and figures.
//
// Flags: --short (CI: one round of each drill, ~5 min with the build), --only=<drill,...>
// (mongo-primary, rabbit-node, app-replicas), --use-env-infra (development: the machine's
// single-node engines, as `npm test` finds them; only app-replicas can run there),
// --rabbit-urls=joined|spread (each replica gets every node's URL, or one node's), --keep-logs
// (keep the run's directory: app logs, mongod and RabbitMQ data). Env: DRILLS_RATE_SCALE and
// DRILLS_TIME_SCALE multiply the arrival rates and the phases' durations.
// Exit codes: 0 every check passed; 1 a check failed; 2 setup failed; 128+signal after Ctrl-C.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';
import { redact } from './infra/support.mjs';
import { ROOT, UserError, bin, exit, logger, onExit, run, secs } from './proc.mjs';

const log = logger('drills');
const DRILLS = ['mongo-primary', 'rabbit-node', 'app-replicas'];

function parseArgs(argv) {
  const options = {
    short: false,
    useEnvInfra: false,
    keepLogs: false,
    drills: DRILLS,
    rabbitUrls: undefined,
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--short') options.short = true;
    else if (flag === '--use-env-infra') options.useEnvInfra = true;
    else if (flag === '--keep-logs') options.keepLogs = true;
    else if (flag === '--only' && value) options.drills = value.split(',');
    else if (flag === '--rabbit-urls' && ['joined', 'spread'].includes(value)) options.rabbitUrls = value;
    else throw new UserError(`unknown argument ${arg}; see the top of scripts/drills.mjs`);
  }
  const unknown = options.drills.filter((d) => !DRILLS.includes(d));
  if (unknown.length) throw new UserError(`no drill ${unknown.join(', ')}; there are ${DRILLS.join(', ')}`);
  return options;
}

async function build() {
  const started = Date.now();
  for (const [what, cmd, args] of [
    ['the apps (npm run build)', 'npm', ['run', 'build']],
    ['the drills (tsconfig.drills.json)', bin('tsc'), ['-p', 'tsconfig.drills.json']],
  ]) {
    log(`building ${what}…`);
    const res = await run(cmd, args);
    if (res.code !== 0)
      throw new UserError(`building ${what} failed (exit ${res.code ?? res.signal}): see above.`);
  }
  log(`built in ${secs(Date.now() - started)}`);
}

/**
 * Stops what `promise` starts when the run ends, even if the run ends (Ctrl-C) while it is still
 * starting: the hook waits for the start, then stops it.
 */
function stoppedOnExit(promise) {
  let started;
  let stopped = false;
  promise.then((value) => (started = value)).catch(() => undefined);
  const stop = async () => {
    await (await promise.catch(() => undefined))?.stop();
    stopped = true;
  };
  // Only if stop() didn't finish (a forced exit): once stopped, there's nothing left to kill.
  stop.sync = () => stopped || started?.stopSync?.();
  onExit(stop);
  return promise;
}

/** The machine's Redis, as scripts/infra provides it (REDIS_URL, else a local server). */
async function machineRedis() {
  const { redis } = await import('./infra/redis.mjs');
  if (process.env.REDIS_URL) return redis.fromEnv(process.env.REDIS_URL, logger('infra'));
  const ctx = {
    log: logger('infra'),
    add: (resource) => onExit(Object.assign(() => resource.stop(), { sync: () => resource.stopSync() })),
    forget: () => undefined,
  };
  return redis.startLocal(ctx);
}

async function startEngines(options, runDir) {
  if (options.useEnvInfra) {
    const { startInfra } = await import('./infra.mjs');
    const { env } = await startInfra({ log: logger('infra') }); // stopped by its own exit hook
    return {
      mongoUri: env.MONGODB_URI,
      redisUrl: env.REDIS_URL,
      rabbitUrls: [env.RABBITMQ_URL],
      shared: true,
    };
  }
  let cluster;
  try {
    cluster = await import('./drills/cluster/index.mjs');
  } catch (err) {
    throw new UserError(
      `scripts/drills/cluster/index.mjs can't be loaded (${err.message}); try --use-env-infra`,
    );
  }
  const baseDir = (name) => {
    mkdirSync(join(runDir, name));
    return join(runDir, name);
  };
  // The RabbitMQ nodes run as the rabbitmq user: it must traverse the run's directory to reach theirs.
  chmodSync(runDir, 0o711);
  const [mongo, rabbit, redisUrl] = await Promise.all([
    stoppedOnExit(cluster.startMongoReplicaSet({ baseDir: baseDir('mongo'), log: logger('mongo') })),
    stoppedOnExit(cluster.startRabbitCluster({ baseDir: baseDir('rabbit'), log: logger('rabbit') })),
    machineRedis(),
  ]);
  return { mongoUri: mongo.uri, redisUrl, rabbitUrls: rabbit.urls, mongo, rabbit, shared: false };
}

async function main() {
  const startedAt = Date.now();
  const options = parseArgs(process.argv.slice(2));
  await ensureDeps({ log });
  const runDir = mkdtempSync(join(os.tmpdir(), 'loyalty-drills-'));
  // Registered first, so it runs last: after the apps and the engines using it have stopped.
  const removeRunDir = async () => {
    if (options.keepLogs) log(`kept the run's directory: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
  removeRunDir.sync = () => {
    if (!options.keepLogs) rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
  onExit(removeRunDir);

  const enginesPromise = startEngines(options, runDir);
  enginesPromise.catch(() => undefined); // awaited below, after the build
  await build();
  const engines = await enginesPromise;
  log(`engines ready ${secs(Date.now() - startedAt)} into the run: MongoDB ${redact(engines.mongoUri)}`);

  const drillsEntry = join(ROOT, 'dist', 'drills', 'drills', 'main.js');
  const mod = await import(pathToFileURL(drillsEntry).href);
  const runDrills = mod.runDrills ?? mod.default?.runDrills;
  return runDrills({
    root: ROOT,
    options: {
      short: options.short,
      drills: options.drills,
      runDir,
      // Every replica gets every node's URL (RABBITMQ_URL takes a list), unless told to spread them.
      rabbitUrlMode: options.rabbitUrls ?? 'joined',
      rateScale: Number(process.env.DRILLS_RATE_SCALE) || 1,
      timeScale: Number(process.env.DRILLS_TIME_SCALE) || 1,
    },
    engines,
    onExit,
    log,
    startedAt,
  });
}

main().then(
  (code) => exit(code),
  (err) => {
    if (err instanceof UserError) log.error(redact(err.message));
    else console.error(err);
    exit(2);
  },
);
