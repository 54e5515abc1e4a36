import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { disposableBroker, TestIsolation, waitFor, type DisposableBroker } from '@lib/testing';
import { DISPATCH_CONSUMER } from '../../apps/webhook-dispatcher/src/webhooks/dispatch-events/dispatch-events.consumer';
import { ADMIN_ENV, admin, apiClient, member, type ApiClientCaller } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';
import { LOCAL_RECEIVERS_ENV, WebhookReceiver } from '../support/webhook-receiver';

const ROOT = join(__dirname, '..', '..');
const EVENTS = 2_000;
const DISPATCHER_ENV = {
  ...LOCAL_RECEIVERS_ENV,
  WEBHOOKS_RETRY_SCHEDULE: '200ms,500ms,1s,2s,5s',
  WEBHOOKS_POLL_MS: '100',
  // A killed dispatcher's claims are taken over after 5 missed beats: one second.
  WEBHOOKS_HEARTBEAT_MS: '200',
};

/**
 * The at-least-once drill (issue 19): 2,000 purchases become 2,000 `purchase.recorded` events for
 * 3 endpoints while the broker is stopped and restarted, and the dispatcher (a process of its own,
 * started from main.ts) is killed with SIGKILL and replaced. Afterwards each receiver, deduping by
 * webhook-id, has exactly 2,000 events: every one, and no stranger.
 */
describe('webhooks drill: broker restart and dispatcher SIGKILL during a burst', () => {
  const iso = new TestIsolation('webhook-drill');
  let broker: DisposableBroker;
  let stack: PlatformStack;
  let http: PlatformStack['http'];
  let boss: Awaited<ReturnType<typeof admin>>;
  let till: ApiClientCaller;
  const receivers: WebhookReceiver[] = [];
  const children: ChildProcess[] = [];
  let output = '';

  beforeAll(async () => {
    iso.queue(DISPATCH_CONSUMER);
    broker = await disposableBroker(iso.infra.rabbitUrl);
    const rabbitUrl = broker.url;
    stack = await startPlatformStack(iso, {
      services: ['loyalty'],
      authEnv: ADMIN_ENV,
      auth: { rabbitUrl },
      gateway: { rabbitUrl },
      config: { loyalty: { rabbitUrl } },
    });
    http = stack.http;
    boss = await admin(http);
    till = await apiClient(http, boss.auth, ['purchases:write']);
    for (let i = 0; i < 3; i++) receivers.push(await WebhookReceiver.start());
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stack?.close();
    for (const r of receivers) await r.close();
    await broker?.dispose();
    await iso.cleanup();
  });

  /** The real dispatcher (main.ts) in a process of its own, so that it can be killed outright. */
  const spawnDispatcher = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/webhook-dispatcher/src/main.ts',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...DISPATCHER_ENV,
          PORT: '0',
          RABBITMQ_URL: broker.url,
          MONGODB_DB: iso.database('webhook-dispatcher'),
          NAME_PREFIX: iso.namePrefix,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    children.push(child);
    return child;
  };

  /** Records a purchase, trying again while the broker is away (a replay answers 200). */
  const purchase = async (userId: string, purchaseId: string) => {
    for (;;) {
      const res = await http()
        .post('/v1/purchases')
        .set(till.auth)
        .send({ purchaseId, userId, amount: '1.00' });
      if (res.status === 201 || res.status === 200) return;
      if (![502, 503, 504].includes(res.status))
        throw new Error(`purchase: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const fewest = () => Math.min(...receivers.map((r) => r.distinctIds().size));

  it('every receiver counts exactly 2,000 distinct webhook-ids, one per purchase', async () => {
    const first = await spawnDispatcher();
    for (const r of receivers) {
      await waitFor(
        'the dispatcher to serve RPC and accept an endpoint',
        async () =>
          (
            await http()
              .post('/v1/admin/webhooks')
              .set(boss.auth)
              .send({ url: r.url, events: ['purchase.recorded'] })
          ).status === 201,
        60_000,
      );
    }
    const members = await Promise.all(Array.from({ length: 10 }, () => member(http)));
    const purchaseIds = Array.from({ length: EVENTS }, () => `drill-${randomUUID()}`);
    let next = 0;
    const burst = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < purchaseIds.length) {
          const i = next++;
          await purchase(members[i % members.length].userId, purchaseIds[i]);
        }
      }),
    );

    await waitFor('300 deliveries to each receiver', async () => fewest() >= 300, 120_000);
    await broker.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await broker.restart();
    await waitFor('1,000 deliveries to each receiver', async () => fewest() >= 1_000, 120_000);
    // Killed mid-burst: it holds claimed deliveries and unacked events.
    expect(fewest()).toBeLessThan(EVENTS);
    first.kill('SIGKILL');
    await spawnDispatcher();
    await burst;
    await waitFor(
      `${EVENTS} distinct deliveries to each receiver`,
      async () => fewest() >= EVENTS,
      180_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- dispatcher output (tail) ---\n${output.slice(-4000)}`);
    });

    for (const r of receivers) {
      expect(r.distinctIds().size).toBe(EVENTS);
      const delivered = new Set(
        r.received.map((x) => (JSON.parse(x.body) as { data: { purchaseId: string } }).data.purchaseId),
      );
      expect(delivered).toEqual(new Set(purchaseIds));
    }
  }, 420_000);
});
