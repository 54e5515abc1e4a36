import fc from 'fast-check';
import { expectLedgerRowInvariants } from '../../../../test/support/loyalty/expect-ledger-invariants';
import { inMemoryLedgerProcess } from '../../../../test/support/loyalty/in-memory-ledger-process';
import {
  payerFeed,
  runArrivalOrder,
  runPublishedExample,
} from '../../../../test/support/loyalty/payer-arrival-order';
import { VirtualClock } from '../../../../test/support/loyalty/virtual-clock';

/** Issue 18, item 8 (seed 004): spending follows the transactions' timestamps, not their arrival. */
describe('payer transactions in any arrival order, on in-memory adapters', () => {
  const ledger = () => {
    const process = inMemoryLedgerProcess(new VirtualClock(new Date('2023-01-01T00:00:00Z')));
    return {
      process,
      invariants: async (groupId: string) => expectLedgerRowInvariants(process.rows(groupId)),
    };
  };

  it('the published example, its oldest DANNON lot arriving last, spends 5000 as in timestamp order', async () => {
    const { process, invariants } = ledger();
    await runPublishedExample(process, invariants);
  });

  it('property: any arrival order leaves the same lots as timestamp order, every debit on its payer’s oldest points', async () => {
    await fc.assert(
      fc.asyncProperty(payerFeed(new Date('2022-10-01T00:00:00Z'), 30), async (feed) => {
        const { process, invariants } = ledger();
        await runArrivalOrder(process, feed, invariants);
      }),
      { numRuns: 300 },
    );
  });
});
