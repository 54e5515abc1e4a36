import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { outboxModel } from '@lib/messaging';
import { openMongoConnection, SchemaSetup } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { LoyaltySettings } from '../../apps/loyalty/src/loyalty.settings';
import { expectLedgerInvariants } from '../support/loyalty/expect-ledger-invariants';
import { LedgerProcess, ledgerProcess } from '../support/loyalty/ledger-process';
import { payerFeed, runArrivalOrder, runPublishedExample } from '../support/loyalty/payer-arrival-order';
import { VirtualClock } from '../support/loyalty/virtual-clock';

/** Issue 18, item 8 (seed 004), on MongoDB: spending follows the transactions' timestamps, not their arrival. */
describe('payer transactions in any arrival order, on a real MongoDB replica set', () => {
  const iso = new TestIsolation('arrival-order');
  let connection: Connection;
  let ledger: LedgerProcess;
  const invariants = (groupId: string) => expectLedgerInvariants(connection.db!, groupId);

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    const store = await openLedgerStore(connection);
    const outbox = new SchemaSetup(connection);
    outbox.registerModel(outboxModel(connection));
    await outbox.run();
    const clock = new VirtualClock(new Date('2023-01-01T00:00:00Z'));
    ledger = ledgerProcess(connection, store, new LoyaltySettings({ units: 1n, scale: 0 }, 'USD'), clock);
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  it('the published example, its oldest DANNON lot arriving last, spends 5000 as in timestamp order', async () => {
    await runPublishedExample(ledger, invariants);
  });

  it('property: any arrival order leaves the same lots as timestamp order, every debit on its payer’s oldest points', async () => {
    await fc.assert(
      fc.asyncProperty(payerFeed(new Date('2022-10-01T00:00:00Z'), 16), (feed) =>
        runArrivalOrder(ledger, feed, invariants),
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});
