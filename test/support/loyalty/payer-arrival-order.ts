import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { GroupLedgerSnapshot } from './ledger-invariants';
import { refusalCode } from './ledger-ops';
import type { LedgerProcess } from './ledger-process';
import { person } from './lifecycle-property';

const HOUR = 3_600_000;
const PAYERS = ['DANNON', 'UNILEVER', 'MILLER COORS'] as const;

/** A payer transaction of the feed: signed points at a timestamp no other transaction shares. */
export interface PayerTx {
  transactionId: string;
  payer: string;
  points: number;
  timestamp: Date;
}

export interface PayerFeed {
  /** In timestamp order; every negative is covered by its payer's earlier points. */
  transactions: PayerTx[];
  /** Indexes into `transactions`: the order they reach the ledger. */
  arrival: number[];
}

/**
 * Random feeds of positive and negative payer transactions, one hour apart from `start` on, valid
 * in timestamp order (a negative never takes a payer below zero there), with a random arrival order.
 */
export function payerFeed(start: Date, maxLength: number): fc.Arbitrary<PayerFeed> {
  const step = fc.record({
    payer: fc.constantFrom(...PAYERS),
    points: fc.integer({ min: 1, max: 500 }),
    negative: fc.boolean(),
  });
  return fc
    .array(step, { minLength: 2, maxLength, size: 'max' })
    .map((steps) => {
      const balances: Record<string, number> = {};
      return steps.map(({ payer, points, negative }, i): PayerTx => {
        const held = balances[payer] ?? 0;
        // A negative can take at most what the payer has by then; with nothing, it is a positive.
        const signed = negative && held > 0 ? -Math.min(points, held) : points;
        balances[payer] = held + signed;
        return {
          transactionId: `t${i}`,
          payer,
          points: signed,
          timestamp: new Date(start.getTime() + i * HOUR),
        };
      });
    })
    .chain((transactions) =>
      fc
        .shuffledSubarray(
          transactions.map((_, i) => i),
          { minLength: transactions.length, maxLength: transactions.length },
        )
        .map((arrival) => ({ transactions, arrival })),
    );
}

/**
 * Feeds `transactions` in the given order as an admin would; a negative refused with 422
 * INSUFFICIENT_PAYER_POINTS (its payer's points haven't all arrived yet) is sent again after the
 * rest, until every transaction is in. Returns how many were refused on the way.
 */
export async function feedPayerTransactions(
  process: LedgerProcess,
  groupId: string,
  transactions: PayerTx[],
): Promise<number> {
  const admin = person(randomUUID(), ['admin']);
  const queue = [...transactions];
  let refused = 0;
  while (queue.length) {
    if (refused > transactions.length ** 2)
      throw new Error(`the feed never got in: ${JSON.stringify(queue)}`);
    const tx = queue.shift()!;
    const code = await refusalCode(
      process.transactions.execute(admin, groupId, {
        transactionId: tx.transactionId,
        payer: tx.payer,
        points: tx.points,
        timestamp: tx.timestamp.toISOString(),
        reason: 'payer feed',
      }),
    );
    if (code === undefined) continue;
    expect({ tx, code }).toEqual({ tx, code: 'INSUFFICIENT_PAYER_POINTS' });
    expect(tx.points).toBeLessThan(0);
    refused += 1;
    queue.push(tx);
  }
  return refused;
}

/** What each positive transaction's lot should hold at the end: every payer's debits take its oldest points. */
export function oldestPointsTaken(transactions: readonly PayerTx[]): Record<string, number> {
  const left: Record<string, number> = {};
  for (const payer of new Set(transactions.map((t) => t.payer))) {
    const own = transactions.filter((t) => t.payer === payer);
    let debit = -own.filter((t) => t.points < 0).reduce((sum, t) => sum + t.points, 0);
    for (const credit of own.filter((t) => t.points > 0).sort((a, b) => +a.timestamp - +b.timestamp)) {
      const taken = Math.min(debit, credit.points);
      debit -= taken;
      if (credit.points > taken) left[credit.transactionId] = credit.points - taken;
    }
  }
  return left;
}

/** The lots with points left, by transactionId. */
export const lotsLeft = (s: GroupLedgerSnapshot): Record<string, number> =>
  Object.fromEntries(Object.entries(s.remainingByReference).filter(([, n]) => n > 0));

/**
 * Issue 18, item 8: the published payer example in the order it arrived, the oldest DANNON lot
 * last. It must end as in timestamp order.
 */
export const PUBLISHED_EXAMPLE: ReadonlyArray<PayerTx> = [
  {
    transactionId: 'dannon-1000',
    payer: 'DANNON',
    points: 1000,
    timestamp: new Date('2022-11-02T14:00:00Z'),
  },
  {
    transactionId: 'unilever-200',
    payer: 'UNILEVER',
    points: 200,
    timestamp: new Date('2022-10-31T11:00:00Z'),
  },
  {
    transactionId: 'dannon-minus-200',
    payer: 'DANNON',
    points: -200,
    timestamp: new Date('2022-10-31T15:00:00Z'),
  },
  {
    transactionId: 'miller-10000',
    payer: 'MILLER COORS',
    points: 10000,
    timestamp: new Date('2022-11-01T14:00:00Z'),
  },
  { transactionId: 'dannon-300', payer: 'DANNON', points: 300, timestamp: new Date('2022-10-31T10:00:00Z') },
];

/**
 * The property of item 8 for one feed: the transactions in timestamp order (none refused) and in
 * their arrival order (refused negatives retried at the end) leave the same lots, each payer's
 * debits holding its oldest points, in two groups of their own.
 */
export async function runArrivalOrder(
  process: LedgerProcess,
  feed: PayerFeed,
  invariants: (groupId: string) => Promise<GroupLedgerSnapshot>,
): Promise<void> {
  const [inTime, asArrived] = [randomUUID(), randomUUID()];
  expect(await feedPayerTransactions(process, inTime, feed.transactions)).toBe(0);
  await feedPayerTransactions(
    process,
    asArrived,
    feed.arrival.map((i) => feed.transactions[i]),
  );
  const [expected, actual] = [await invariants(inTime), await invariants(asArrived)];
  expect(lotsLeft(expected)).toEqual(oldestPointsTaken(feed.transactions));
  expect(lotsLeft(actual)).toEqual(lotsLeft(expected));
  expect(actual.byPayer).toEqual(expected.byPayer);
  expect(actual.balance).toBe(expected.balance);
}

/** The published example as it arrived, then a redemption of 5000, as issue 18 states the outcome. */
export async function runPublishedExample(
  process: LedgerProcess,
  invariants: (groupId: string) => Promise<GroupLedgerSnapshot>,
): Promise<void> {
  const groupId = randomUUID();
  const member = person(groupId, ['member']);
  expect(await feedPayerTransactions(process, groupId, [...PUBLISHED_EXAMPLE])).toBe(0);
  const spend = await process.redemptions.execute(
    member,
    { userId: member.userId, groupId },
    { redemptionId: 'spend-5000', points: 5000 },
  );
  expect(spend.body.spent).toEqual([
    { payer: 'DANNON', points: -100 },
    { payer: 'UNILEVER', points: -200 },
    { payer: 'MILLER COORS', points: -4700 },
  ]);
  expect(spend.body.balance).toBe(6300);
  expect((await process.points.points(groupId)).byPayer).toEqual({
    DANNON: 1000,
    UNILEVER: 0,
    'MILLER COORS': 5300,
  });
  const s = await invariants(groupId);
  // The debit moved onto the late, oldest DANNON lot; the redemption took the rest of it.
  expect(lotsLeft(s)).toEqual({ 'dannon-1000': 1000, 'miller-10000': 5300 });
}
