import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/** Every app, as scripts/up.mjs starts them; all but the gateway own a schema step (`migrate`). */
export const APPS = [
  'gateway',
  'auth',
  'loyalty',
  'promotion',
  'coupon-worker',
  'webhook-dispatcher',
] as const;
export type AppName = (typeof APPS)[number];

export interface Replica {
  app: AppName;
  /** 0 or 1: the drills kill "replica 0 of every app", then "replica 1". */
  index: number;
  port: number;
  metricsPort: number;
  env: NodeJS.ProcessEnv;
  logFile: string;
  child?: ChildProcess;
  /** Set while the drill has it killed on purpose. */
  killed: boolean;
}

/** An app that exited without being asked to: always a failed check. */
export interface Incident {
  replica: string;
  at: number;
  how: string;
  lastLines: string[];
}

export interface PlatformSpec {
  root: string;
  runDir: string;
  replicasPerApp: number;
  /** The environment of one replica (its ports are added). */
  envOf(app: AppName, index: number): NodeJS.ProcessEnv;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
export const replicaName = (r: Pick<Replica, 'app' | 'index'>) => `${r.app}#${r.index}`;

/**
 * Two replicas of every app from the production build (dist/apps/<app>/src/main.js), each on its
 * own HTTP and metrics port and in its own process group, with its output in a log file of the
 * run. The drills SIGKILL and restart them; any other exit is recorded as an incident.
 */
export class Platform {
  readonly incidents: Incident[] = [];
  private stopping = false;

  private constructor(
    private readonly spec: PlatformSpec,
    readonly replicas: Replica[],
  ) {}

  static async create(spec: PlatformSpec): Promise<Platform> {
    const replicas: Replica[] = [];
    const ports = await freePorts(APPS.length * spec.replicasPerApp * 2);
    for (const app of APPS) {
      for (let index = 0; index < spec.replicasPerApp; index++) {
        const [port, metricsPort] = ports.splice(0, 2);
        replicas.push({
          app,
          index,
          port,
          metricsPort,
          env: {
            ...spec.envOf(app, index),
            PORT: String(port),
            METRICS_PORT: String(metricsPort),
            APP_NAME: app,
          },
          logFile: join(spec.runDir, `${app}-${index}.log`),
          killed: false,
        });
      }
    }
    return new Platform(spec, replicas);
  }

  private entry(app: AppName): string {
    return join(this.spec.root, 'dist', 'apps', app, 'src', 'main.js');
  }

  /** Each app's schema step, all at once (they own different databases, and take a lease). */
  async migrate(): Promise<void> {
    const first = (app: AppName) => this.replicas.find((r) => r.app === app)!;
    await Promise.all(
      APPS.filter((app) => app !== 'gateway').map(async (app) => {
        const logFile = join(this.spec.runDir, `migrate-${app}.log`);
        const code = await runToEnd(this.entry(app), ['migrate'], first(app).env, logFile);
        if (code !== 0) throw new Error(`${app} migrate failed (exit ${code}):\n${tail(logFile, 15)}`);
      }),
    );
  }

  async startAll(): Promise<void> {
    for (const replica of this.replicas) this.spawn(replica);
    await this.waitReady(this.replicas);
  }

  gatewayPorts(): number[] {
    return this.replicas.filter((r) => r.app === 'gateway').map((r) => r.port);
  }

  /** Replica `index` of every app. */
  replicaSet(index: number): Replica[] {
    return this.replicas.filter((r) => r.index === index);
  }

  /** SIGKILL, all at once; resolves when they are gone. */
  async kill(replicas: Replica[]): Promise<void> {
    await Promise.all(
      replicas.map(async (replica) => {
        replica.killed = true;
        const child = replica.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        signalGroup(child, 'SIGKILL');
        await gone;
      }),
    );
  }

  async restart(replicas: Replica[]): Promise<void> {
    for (const replica of replicas) {
      replica.killed = false;
      this.spawn(replica);
    }
    await this.waitReady(replicas);
  }

  /** Until every replica's /health/ready answers 200 (each app checks its own engines). */
  async waitReady(replicas: Replica[], timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(replicas);
    while (pending.size) {
      await Promise.all([...pending].map(async (r) => (await isReady(r.port)) && pending.delete(r)));
      if (!pending.size) return;
      const dead = [...pending].filter((r) => r.child?.exitCode !== null || r.child?.signalCode !== null);
      if (dead.length || Date.now() > deadline) {
        const names = [...pending].map(replicaName).join(', ');
        const logs = [...pending].map((r) => `--- ${replicaName(r)}:\n${tail(r.logFile, 12)}`).join('\n');
        throw new Error(`not ready (${dead.length ? 'exited' : `after ${timeoutMs} ms`}): ${names}\n${logs}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The replicas whose readiness is down now (e.g. cut off from their broker node). */
  async notReady(): Promise<string[]> {
    const alive = this.replicas.filter((r) => !r.killed);
    const states = await Promise.all(
      alive.map(async (r) => [replicaName(r), await isReady(r.port)] as const),
    );
    return states.filter(([, ready]) => !ready).map(([name]) => name);
  }

  /** Every log line (of every replica, killed ones too) that mentions `needle`. */
  logLinesWith(needle: string, max = 5): string[] {
    const found: string[] = [];
    for (const replica of this.replicas) {
      let text = '';
      try {
        text = readFileSync(replica.logFile, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        if (line.includes(needle)) found.push(`${replicaName(replica)}: ${line}`);
        if (found.length >= max) return found;
      }
    }
    return found;
  }

  /** SIGTERM (each app drains), then SIGKILL after STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.replicas.map(async ({ child }) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
        await gone;
        clearTimeout(timer);
      }),
    );
  }

  /** From a process 'exit' hook: only synchronous work is possible there. */
  stopSync(): void {
    this.stopping = true;
    for (const { child } of this.replicas) if (child) signalGroup(child, 'SIGKILL');
  }

  private spawn(replica: Replica): void {
    const out = openSync(replica.logFile, 'a');
    // detached: a process group of its own, so a terminal's Ctrl-C reaches only the drill runner,
    // which stops the apps in order; and a SIGKILL of the group takes nothing else with it.
    const child = spawn(process.execPath, [this.entry(replica.app)], {
      cwd: this.spec.root,
      env: replica.env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    closeSync(out);
    replica.child = child;
    child.on('exit', (code, signal) => {
      if (this.stopping || replica.killed || replica.child !== child) return;
      this.incidents.push({
        replica: replicaName(replica),
        at: Date.now(),
        how: signal ?? `exit code ${code}`,
        lastLines: tail(replica.logFile, 20).split('\n'),
      });
    });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function isReady(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function runToEnd(file: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = openSync(logFile, 'a');
    const child = spawn(process.execPath, [file, ...args], { env, stdio: ['ignore', out, out] });
    closeSync(out);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** The last `lines` lines of a log file ('' if none). */
export function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * `count` distinct free ports below Linux's ephemeral range (32768 and up by default), where no
 * outgoing connection can take one between this check and the app's bind. Every probe stays
 * open until all are picked, so none repeats.
 */
export async function freePorts(count: number): Promise<number[]> {
  const held: net.Server[] = [];
  const listen = (port: number) =>
    new Promise<net.Server | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '0.0.0.0', () => resolve(server));
    });
  try {
    for (let tries = 0; held.length < count; tries++) {
      if (tries > count * 50) throw new Error('no free ports between 20000 and 32000');
      const server = await listen(20_000 + Math.floor(Math.random() * 12_000));
      if (server) held.push(server);
    }
    return held.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
