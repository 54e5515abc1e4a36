import fc from 'fast-check';
import { EVENTS } from '@lib/contracts';
import { expectLedgerRowInvariants } from '../../../../test/support/loyalty/expect-ledger-invariants';
import { inMemoryLedgerProcess } from '../../../../test/support/loyalty/in-memory-ledger-process';
import { lifecycleScenario, runLifecycle } from '../../../../test/support/loyalty/lifecycle-property';
import { VirtualClock } from '../../../../test/support/loyalty/virtual-clock';

describe('the points lifecycle on in-memory adapters against a plain unit-by-unit model (fast-check)', () => {
  it('random purchases, payer transactions, redemptions, refunds, reversals and clock advances answer as the model, invariants hold', async () => {
    await fc.assert(
      fc.asyncProperty(lifecycleScenario(40), async (scenario) => {
        const clock = new VirtualClock(new Date('2025-01-01T00:00:00Z'));
        const ledger = inMemoryLedgerProcess(clock);
        const { groupId, snapshot } = await runLifecycle(
          {
            process: ledger,
            clock,
            invariants: async (group, settledAt) =>
              expectLedgerRowInvariants(ledger.rows(group), { settledAt }),
          },
          scenario,
        );
        // The events tell the same story as the ledger: one points.expired per EXPIRE entry, and
        // the refunds' pointsReversed add up to what the lots say was refunded.
        const events = (name: string) =>
          ledger.outbox.events
            .filter((e) => e.name === name)
            .map((e) => e.payload as { groupId: string; points?: number; pointsReversed?: number });
        const expired = events(EVENTS.pointsExpired);
        const expireEntries = ledger.rows(groupId).entries.filter((e) => e.type === 'EXPIRE');
        expect(expired.map((e) => e.points)).toEqual(expireEntries.map((e) => -e.points));
        expect(expired.reduce((sum, e) => sum + e.points!, 0)).toBe(snapshot.expired);
        expect(events(EVENTS.purchaseRefunded).reduce((sum, e) => sum + e.pointsReversed!, 0)).toBe(
          snapshot.refunded,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
