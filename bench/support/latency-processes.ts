/**
 * The latency benchmark's server children as the coordinator sees them: started from the bench
 * file with a role argument, sampled for CPU, stopped. BENCH_CPU_PROF=<dir> makes them write V8
 * CPU profiles there when they stop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import type { FromServer, LatencyRole, ToServer } from './latency-platform';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export class ServerProcess {
  port = 0;
  private constructor(
    readonly role: LatencyRole,
    private readonly proc: ChildProcess,
  ) {}

  /** Forks `benchFile` as `role` and resolves once it is ready. */
  static async start(benchFile: string, role: LatencyRole, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
    // Under ts-node (iterating) the children need its hooks; the built benchmark runs plain JS.
    const execArgv = benchFile.endsWith('.ts')
      ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register']
      : [];
    const profileDir = process.env.BENCH_CPU_PROF;
    if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
    const proc = fork(benchFile, [role], { env, stdio: ['ignore', 2, 2, 'ipc'], execArgv });
    const server = new ServerProcess(role, proc);
    try {
      server.port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${role}: not ready in 90 s`)), START_TIMEOUT_MS);
        proc.on('message', (msg: FromServer) => {
          if (msg.type !== 'ready') return;
          clearTimeout(timer);
          resolve(msg.port);
        });
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${role} exited (${code}) before it was ready`));
        });
      });
    } catch (err) {
      proc.kill('SIGKILL');
      throw err;
    }
    return server;
  }

  /** The child's own process.cpuUsage(). */
  cpu(): Promise<NodeJS.CpuUsage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.role}: no CPU sample in 5 s`)), 5000);
      const onMessage = (msg: FromServer) => {
        if (msg.type !== 'cpu') return;
        clearTimeout(timer);
        this.proc.off('message', onMessage);
        resolve(msg.usage);
      };
      this.proc.on('message', onMessage);
      this.proc.send({ type: 'cpu' } satisfies ToServer);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.send({ type: 'stop' } satisfies ToServer, () => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

export interface CpuFigures {
  /** Cores each server process kept busy on average. */
  serverCores: Record<string, number>;
  /** The same for MongoDB, RabbitMQ and Redis (by process name; Linux /proc), when readable. */
  infraCores: Record<string, number>;
  /** The whole machine's busy cores, everything included. */
  machineBusyCores?: number;
}

/** CPU of each server, of the infrastructure and of the whole machine between two samples. */
export class CpuWindow {
  private constructor(
    private readonly servers: ServerProcess[],
    private readonly perServer: NodeJS.CpuUsage[],
    private readonly infra: Map<string, number>,
    private readonly machine: { busy: number; total: number } | undefined,
    private readonly startedAt: number,
  ) {}

  static async start(servers: ServerProcess[]): Promise<CpuWindow> {
    const perServer = await Promise.all(servers.map((s) => s.cpu()));
    return new CpuWindow(servers, perServer, infraTicks(), machineStat(), performance.now());
  }

  async end(): Promise<CpuFigures> {
    const after = await Promise.all(this.servers.map((s) => s.cpu()));
    const infra = infraTicks();
    const machine = machineStat();
    const wallMs = performance.now() - this.startedAt;
    const serverCores: Record<string, number> = {};
    this.servers.forEach((s, i) => {
      const us = after[i].user + after[i].system - this.perServer[i].user - this.perServer[i].system;
      serverCores[s.role] = Math.round((us / 1000 / wallMs) * 100) / 100;
    });
    const infraCores: Record<string, number> = {};
    for (const [name, ticks] of infra) {
      const before = this.infra.get(name);
      if (before !== undefined)
        infraCores[name] = Math.round((((ticks - before) * TICK_MS) / wallMs) * 100) / 100;
    }
    const machineBusyCores =
      this.machine && machine
        ? Math.round(
            ((machine.busy - this.machine.busy) / (machine.total - this.machine.total)) *
              os.cpus().length *
              100,
          ) / 100
        : undefined;
    return { serverCores, infraCores, machineBusyCores };
  }
}

/** Linux's USER_HZ: /proc times are in hundredths of a second on every common architecture. */
const TICK_MS = 10;
const INFRA_PROCESSES: Record<string, string> = {
  mongod: 'mongod',
  'beam.smp': 'rabbitmq',
  'redis-server': 'redis',
};

/**
 * CPU ticks (user + system) of the infrastructure's processes, summed by kind. Only this run's
 * mongod (the port of MONGODB_URI) when it can tell; other brokers or caches on the machine count.
 */
function infraTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  const mongoPort = /:(\d+)(?:[/,?]|$)/.exec(process.env.MONGODB_URI ?? '')?.[1];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return ticks;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const kind = INFRA_PROCESSES[comm];
      if (!kind) continue;
      if (kind === 'mongod' && mongoPort) {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
        if (cmdline[cmdline.indexOf('--port') + 1] !== mongoPort) continue;
      }
      // Fields after the command: state is 3rd, utime 14th and stime 15th of the whole line.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(kind, (ticks.get(kind) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks;
}

/** The machine's busy cores over the next `ms` (undefined where /proc/stat can't be read). */
export async function machineBusyCoresOver(ms: number): Promise<number | undefined> {
  const before = machineStat();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineStat();
  if (!before || !after) return undefined;
  return (
    Math.round(((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length * 100) / 100
  );
}

function machineStat(): { busy: number; total: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'latin1')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
