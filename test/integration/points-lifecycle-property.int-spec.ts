import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { LoyaltySettings } from '../../apps/loyalty/src/loyalty.settings';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { lifecycleScenario, runLifecycle, type LifecycleTarget } from '../support/loyalty/lifecycle-property';
import { ledgerProcess } from '../support/loyalty/ledger-process';
import { VirtualClock } from '../support/loyalty/virtual-clock';

describe('the points lifecycle on a real MongoDB replica set against a plain unit-by-unit model (fast-check)', () => {
  const iso = new TestIsolation('lifecycle-property');
  let connection: Connection;
  let target: LifecycleTarget;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const store = await openLedgerStore(connection);
    const outbox = new SchemaSetup(connection);
    outbox.registerModel(outboxModel(connection));
    await outbox.run();
    const clock = new VirtualClock(new Date('2025-01-01T00:00:00Z'));
    const settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD');
    target = {
      process: ledgerProcess(connection, store, settings, clock),
      clock,
      invariants: (groupId, settledAt) => expectLedgerInvariants(connection.db!, groupId, { settledAt }),
    };
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  it('random purchases, payer transactions, redemptions, refunds, reversals and clock advances answer as the model, invariants hold in the database', async () => {
    await fc.assert(
      fc.asyncProperty(lifecycleScenario(30), async (scenario) => {
        await runLifecycle(target, scenario);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
