import { fork, type ChildProcess } from 'node:child_process';
import type { MongoClient } from 'mongodb';

/**
 * The benchmarks that run their servers in child processes (bench/coupons, bench/coupon-export):
 * one file is both the coordinator and, started with a role argument, each server.
 */
export function runBenchProcess<Role extends string>(
  bench: string,
  roles: readonly Role[],
  serverChild: (role: Role) => Promise<void>,
  main: () => Promise<void>,
): void {
  const role = process.argv[2] as Role | undefined;
  if (role !== undefined && roles.includes(role)) {
    serverChild(role).catch((err: unknown) => {
      process.stderr.write(`${role} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
    return;
  }
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`[bench] ${bench} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Asks a server child to stop, and kills it if it hasn't within 20 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** After a run: its server children stopped (newest first), its databases dropped. */
export async function tearDownRun(
  client: MongoClient,
  dbName: string,
  children: ChildProcess[],
): Promise<void> {
  for (const child of [...children].reverse()) await stopChild(child).catch(() => undefined);
  for (const name of [dbName, `${dbName}_auth`, `${dbName}_gateway`]) {
    await client
      .db(name)
      .dropDatabase()
      .catch(() => undefined);
  }
  await client.close();
}

/**
 * Starts `file` again as the server child `role` (with `env` on top of this process's), and
 * resolves once it says it is ready, with the port it listens on (0 for one that doesn't listen).
 */
export function startServerChild(
  file: string,
  role: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(file, [role], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
    stdio: ['ignore', 2, 2, 'ipc'],
    execArgv: file.endsWith('.ts')
      ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register']
      : process.execArgv,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start in 90 s`)), 90_000);
    child.once('message', (msg: { port: number }) => {
      clearTimeout(timer);
      resolve({ child, port: msg.port });
    });
    child.once('exit', (code) => reject(new Error(`${role} exited (${code}) before it was ready`)));
  });
}
