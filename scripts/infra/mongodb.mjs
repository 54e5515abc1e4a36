// MongoDB, as a replica set (the platform uses transactions): MONGODB_URI, else docker compose's
// "mongo", else a mongod of ours (from PATH or the PyPI wheel, see mongod-wheel.mjs) started as a
// single-node replica set on a free port with temporary data.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { ROOT, UserError, secs, sleep, which } from '../proc.mjs';
import { HOW_TO_MONGO, mongodFromWheel } from './mongod-wheel.mjs';
import { childResource, freePort, indent, redact, tail, tcpExchange } from './support.mjs';

export const mongodb = {
  label: 'MongoDB',
  envVar: 'MONGODB_URI',
  defaultPort: 27017,
  compose: {
    service: 'mongo',
    port: 27017,
    // The replica-set member is named mongo:27017 (resolvable inside the compose network only),
    // so from the host we talk to it directly instead of following the member's name.
    url: (port) => `mongodb://127.0.0.1:${port}/?directConnection=true`,
  },
  fromEnv: useMongoUri,
  startLocal: localMongo,
};

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

/** Starts a mongod of ours (stopped through `ctx`) and returns its URI. */
export async function localMongo(ctx) {
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
