import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { Topology } from '@lib/messaging';
import { freePort, TestIsolation, waitFor } from '@lib/testing';
import { generateSigningKeyPem } from '../../apps/auth/src/keys/generate-signing-key/generate-signing-key';

const ROOT = join(__dirname, '..', '..');

/**
 * The real entry point (apps/auth/src/main.ts) as its own process, as a container runs it: it must
 * stop on SIGTERM by draining and closing its connections, and exit 0.
 */
describe('an app process stops cleanly on SIGTERM', () => {
  const iso = new TestIsolation('sigterm');
  let child: ChildProcess | undefined;
  const lines: string[] = [];

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await iso.cleanup();
  });

  it('stops consuming, drains, logs it, and exits 0 within the grace period', async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/auth/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          LOG_LEVEL: 'info',
          PORT: String(port),
          MONGODB_URI: iso.infra.mongoUri,
          MONGODB_DB: iso.dbName,
          REDIS_URL: iso.infra.redisUrl,
          RABBITMQ_URL: iso.infra.rabbitUrl,
          NAME_PREFIX: iso.namePrefix,
          JWT_PRIVATE_KEY: generateSigningKeyPem(),
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    }
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child!.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await waitFor(
      'the auth process to be ready',
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      45000,
    );
    const rpcQueue = new Topology(iso.namePrefix).rpcQueue('auth');
    // Ready means connected; the RPC server declares its queue and consumes a moment later.
    await waitFor('the RPC queue to have its consumer', async () => (await consumersOf(iso, rpcQueue)) === 1);

    child.kill('SIGTERM');
    const { code, signal } = await exited;

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const messages = lines.map((l) => {
      try {
        return (JSON.parse(l) as { msg?: string }).msg ?? l;
      } catch {
        return l;
      }
    });
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/shutting down/),
        expect.stringMatching(/stopped cleanly/),
      ]),
    );
    expect(await consumersOf(iso, rpcQueue)).toBe(0);
  }, 90000);
});

/** The queue's consumers; 0 while the queue doesn't exist yet. */
async function consumersOf(iso: TestIsolation, queue: string): Promise<number> {
  const conn = await connect(iso.infra.rabbitUrl);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined); // a missing queue closes the channel: answered below
    return (await ch.checkQueue(queue)).consumerCount;
  } catch {
    return 0;
  } finally {
    await conn.close();
  }
}
