import { AmqpConnection } from '@lib/messaging';
import { testInfra, testLogger, waitFor } from '@lib/testing';

describe('AmqpConnection setups (real broker)', () => {
  let amqp: AmqpConnection;

  beforeEach(() => {
    amqp = new AmqpConnection({ url: testInfra().rabbitUrl, name: 'setup-test', logger: testLogger() });
  });
  afterEach(() => amqp.close());

  it('runs a setup added during the connection setup pass exactly once, and waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runs = { slow: 0, late: 0 };
    await amqp.addSetup(async () => {
      runs.slow++;
      await gate; // the pass is busy here when the late setup arrives
    });
    amqp.start();
    await waitFor('the setup pass to start', () => runs.slow === 1);

    let lateDone = false;
    const late = amqp
      .addSetup(async () => {
        runs.late++;
      })
      .then(() => (lateDone = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(lateDone).toBe(false); // it waits for the pass that runs it
    release();
    await late;
    await amqp.waitUntilConnected();
    expect(runs).toEqual({ slow: 1, late: 1 });
  });

  it('runs a setup added once connected right away, once', async () => {
    amqp.start();
    await amqp.waitUntilConnected();
    let runs = 0;
    await amqp.addSetup(async () => {
      runs++;
    });
    expect(runs).toBe(1);
  });
});
