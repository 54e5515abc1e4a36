// A 3-node RabbitMQ cluster on this machine, for the drills: nodes of the machine's
// `rabbitmq-server` (the Debian package) on free ports, data and logs under baseDir, which a drill
// can SIGKILL (a crash of the Erlang VM, not a stop) and start again. The machine's own broker
// (rabbit@localhost, port 5672) is left alone.
//
// Run as root, the package's scripts drop to the rabbitmq user, whose HOME is /var/lib/rabbitmq:
// every node and every rabbitmqctl then share /var/lib/rabbitmq/.erlang.cookie, as a cluster must.
// The nodes register with the machine's epmd (port 4369), which is shared and never stopped here.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { which } from '../../proc.mjs';
import { freePort, tail, tcpExchange } from '../../infra/support.mjs';
import { isAlive, killProcessesUsingSync, pollUntil, signal, terminatePid, waitDead } from './processes.mjs';

const run = promisify(execFile);
const NODES = 3;

export async function startRabbitCluster({ baseDir, log }) {
  const t0 = Date.now();
  if (!which('rabbitmq-server') || !which('rabbitmqctl') || process.getuid?.() !== 0) {
    throw new Error(
      'A RabbitMQ cluster of its own needs rabbitmq-server and rabbitmqctl (Debian package rabbitmq-server) and root, ' +
        'whose scripts start the nodes as the rabbitmq user.',
    );
  }
  // The nodes run as the rabbitmq user: it must be able to reach its directories in baseDir
  // (mkdtemp makes it 0700). Traversal only: it still can't list or write baseDir itself.
  chmodSync(baseDir, statSync(baseDir).mode | 0o711);
  const suffix = randomBytes(3).toString('hex');
  const nodes = [];
  for (let i = 1; i <= NODES; i++) nodes.push(await prepareNode(baseDir, `drill${i}-${suffix}@localhost`));
  const stopAll = () => Promise.all(nodes.map(stopNode));
  try {
    await Promise.all(nodes.map(bootNode));
    log(`RabbitMQ: ${NODES} nodes booted in ${Date.now() - t0} ms, clustering them…`);
    const [first, ...others] = nodes;
    // One at a time: two nodes changing the cluster's membership at once can fail each other.
    for (const node of others) {
      await ctl(node.name, 'stop_app');
      await ctl(node.name, 'join_cluster', first.name);
      await ctl(node.name, 'start_app');
    }
    await waitClusterSees(first, nodes, 60_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const byName = (name) => {
    const node = nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no RabbitMQ node named ${name}`);
    return node;
  };
  const urls = nodes.map((n) => `amqp://guest:guest@127.0.0.1:${n.port}`);
  log(
    `RabbitMQ: cluster of ${nodes.map((n) => `${n.name} (:${n.port})`).join(', ')} ready in ${Date.now() - t0} ms`,
  );

  return {
    urls,
    url: urls.join(','),
    nodes: nodes.map((n) => ({ name: n.name, port: n.port })),
    async kill(name) {
      const node = byName(name);
      if (!isAlive(readPid(node)) && !(await portOpen(node.port))) return; // already down
      const pid = await osPid(node);
      signal(pid, 'SIGKILL');
      await waitDead(pid, 10_000, `RabbitMQ node ${name}`);
    },
    async restart(name) {
      const node = byName(name);
      if (await portOpen(node.port)) throw new Error(`RabbitMQ node ${name} is still running`);
      // Same data directory: it knows its cluster and rejoins by itself.
      await bootNode(node);
      const witness = nodes.find((n) => n !== node && isAlive(readPid(n))) ?? node;
      await waitClusterSees(
        witness,
        nodes.filter((n) => n === node || isAlive(readPid(n))),
        60_000,
      );
    },
    stop: stopAll,
    /** For a process 'exit' hook: SIGKILL every node, synchronously. */
    stopSync: () => nodes.forEach((n) => killProcessesUsingSync(n.dir)),
  };
}

async function prepareNode(baseDir, name) {
  const dir = join(baseDir, name.replace('@', '_'));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777); // rabbitmq-server, started as root, runs as the rabbitmq user
  const [port, distPort] = [await freePort(), await freePort()];
  const config = [
    `listeners.tcp.local = 127.0.0.1:${port}`,
    // What RabbitMQ recommends for 3+ nodes: a minority side of a partition pauses itself.
    'cluster_partition_handling = pause_minority',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'rabbitmq.conf'), config, { mode: 0o644 });
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n', { mode: 0o644 });
  const env = {
    // Only what a node needs: a RABBITMQ_* of the caller's must not reach it.
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    RABBITMQ_NODENAME: name,
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'pid'),
  };
  return { name, port, dir, env, logFile: join(dir, 'log', `${name}.log`) };
}

/** Starts the node's VM and resolves once it accepts AMQP connections. */
async function bootNode(node) {
  rmSync(node.env.RABBITMQ_PID_FILE, { force: true }); // a SIGKILLed VM leaves its pid file
  await run('rabbitmq-server', ['-detached'], { env: node.env, timeout: 30_000 });
  await pollUntil(
    async () => {
      const pid = readPid(node);
      if (pid && !isAlive(pid)) throw new Error(`its VM (pid ${pid}) exited`);
      return portOpen(node.port);
    },
    {
      timeoutMs: 90_000,
      intervalMs: 200,
      what: () => `RabbitMQ node ${node.name} listening on ${node.port}\n${tail(node.logFile, 10)}`,
    },
  );
}

/** Until `witness` reports every one of `expected` as a running member of its cluster. */
async function waitClusterSees(witness, expected, timeoutMs) {
  await pollUntil(
    async () => {
      const { stdout } = await ctl(witness.name, 'cluster_status', '--formatter', 'json');
      const running = JSON.parse(stdout).running_nodes ?? [];
      return expected.every((n) => running.includes(n.name));
    },
    {
      timeoutMs,
      intervalMs: 300,
      what: `cluster seen by ${witness.name} with ${expected.length} nodes running`,
    },
  );
}

/** The node's VM (beam.smp) pid: its pid file, else asked from the node itself. */
async function osPid(node) {
  const fromFile = readPid(node);
  if (isAlive(fromFile)) return fromFile;
  const { stdout } = await ctl(node.name, 'eval', 'os:getpid().');
  return Number(stdout.replace(/[^0-9]/g, ''));
}

function readPid(node) {
  try {
    return Number(readFileSync(node.env.RABBITMQ_PID_FILE, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * SIGTERM (the VM stops cleanly), then SIGKILL after 10 s; then whatever is left of it (a node
 * still booting has no pid file yet). The data stays in baseDir.
 */
async function stopNode(node) {
  const pid = readPid(node);
  if (pid) await terminatePid(pid, { graceMs: 10_000 });
  killProcessesUsingSync(node.dir);
}

function ctl(node, ...args) {
  return run('rabbitmqctl', ['-n', node, ...args], { timeout: 30_000 });
}

function portOpen(port) {
  return tcpExchange('127.0.0.1', port, undefined, undefined, 1000);
}
