import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '@lib/jwt';
import type { GroupLedgerSnapshot } from './ledger-invariants';
import { refusalCode } from './ledger-ops';
import type { LedgerProcess } from './ledger-process';
import { NaivePointsLifecycle } from './naive-points-lifecycle';
import type { VirtualClock } from './virtual-clock';

const HOUR = 3_600_000;
const PAYERS = ['DANNON', 'UNILEVER', 'STORE'] as const;
/** How far ahead `expiringSoon` looks in every run. */
const WARNING_DAYS = 7;

/** One step of a random points lifecycle, as a till, a member, an admin or time would take it. */
export type LifecycleOp =
  /** A purchase of `cents` (rate 1: whole units earn), made `backHours` ago, or now. */
  | { kind: 'purchase'; payer: string; cents: number; backHours: number | null }
  /** A positive payer transaction dated `backHours` ago. */
  | { kind: 'credit'; payer: string; points: number; backHours: number }
  /** A negative payer transaction dated `backHours` ago. */
  | { kind: 'debit'; payer: string; points: number; backHours: number }
  | { kind: 'redeem'; points: number }
  /** A refund of one of the run's purchases (`pick` modulo their count; one past them: an unknown one). */
  | { kind: 'refund'; pick: number; cents: number }
  /** A reversal of one of the run's redemptions, picked like a refund's purchase. */
  | { kind: 'reverse'; pick: number }
  /** Time passes; the sweep may run then. */
  | { kind: 'advance'; hours: number; sweep: boolean };

export interface LifecycleScenario {
  pendingDays: number;
  expiryDays: number | null;
  ops: LifecycleOp[];
}

const payer = fc.constantFrom(...PAYERS);
const backHours = fc.integer({ min: 0, max: 24 * 12 });

/** Random scenarios: a policy (pendingDays 0–3, expiryDays 5–20 or none) and up to `maxOps` steps. */
export function lifecycleScenario(maxOps: number): fc.Arbitrary<LifecycleScenario> {
  const op: fc.Arbitrary<LifecycleOp> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('purchase' as const),
        payer,
        cents: fc.integer({ min: 1, max: 6000 }),
        backHours: fc.option(backHours, { nil: null }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('credit' as const),
        payer,
        points: fc.integer({ min: 1, max: 60 }),
        backHours,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('debit' as const),
        payer,
        points: fc.integer({ min: 1, max: 50 }),
        backHours,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('redeem' as const),
        points: fc.integer({ min: 1, max: 120 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('refund' as const),
        pick: fc.nat(),
        cents: fc.integer({ min: 1, max: 4000 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('advance' as const),
        hours: fc.integer({ min: 1, max: 24 * 8 }),
        sweep: fc.boolean(),
      }),
    },
  );
  return fc.record({
    pendingDays: fc.integer({ min: 0, max: 3 }),
    expiryDays: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 5, max: 20 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    ops: fc.array(op, { minLength: 1, maxLength: maxOps, size: 'max' }),
  });
}

/** Where a scenario runs: the use cases, the clock they read, and the invariants of the store behind them. */
export interface LifecycleTarget {
  process: LedgerProcess;
  clock: VirtualClock;
  /** Asserts the invariants of a group's ledger as stored (the sweep ran at `settledAt`) and returns its snapshot. */
  invariants(groupId: string, settledAt: Date): Promise<GroupLedgerSnapshot>;
}

export function person(groupId: string, roles: AuthenticatedUser['roles']): AuthenticatedUser {
  const now = Math.floor(Date.now() / 1000);
  return {
    userId: randomUUID(),
    groupId,
    roles,
    scopes: [],
    tokenId: randomUUID(),
    issuedAt: now,
    expiresAt: now + 600,
  };
}

/** An API client (a till) with `scopes`: it names the members it acts for. */
export function apiClient(scopes: AuthenticatedUser['scopes']): AuthenticatedUser {
  const clientId = randomUUID();
  return { ...person('', ['client']), userId: clientId, clientId, scopes };
}

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const nonZero = (byPayer: Record<string, number>) =>
  Object.fromEntries(Object.entries(byPayer).filter(([, n]) => n !== 0));

/** The answer of a use case, or the code it was refused with. */
async function answer<T, R>(work: Promise<T>, pick: (body: T) => R): Promise<R | { refused: string }> {
  let body: T | undefined;
  const code = await refusalCode(work.then((b) => void (body = b)));
  return code ? { refused: code } : pick(body!);
}

/**
 * Runs one scenario on a fresh group through the real use cases and through the plain model side
 * by side, comparing every answer (and the group's points after every step), then sweeps at the
 * end and checks the invariants and the totals: earned, pending, available, spent, expired,
 * refunded, and what each lot holds. Time only moves forward, across runs too. Returns the group
 * and its final snapshot.
 */
export async function runLifecycle(
  target: LifecycleTarget,
  scenario: LifecycleScenario,
): Promise<{ groupId: string; snapshot: GroupLedgerSnapshot }> {
  const { process: p, clock } = target;
  clock.advanceHours(24 * 40);
  const run = randomUUID().slice(0, 8);
  const groupId = randomUUID();
  const member = person(groupId, ['member']);
  const admin = person(randomUUID(), ['admin']);
  const till = apiClient(['purchases:write']);
  const model = new NaivePointsLifecycle(clock.now().getTime());
  await p.policy.execute(admin, {
    pendingDays: scenario.pendingDays,
    expiryDays: scenario.expiryDays,
    expiryWarningDays: WARNING_DAYS,
  });
  model.setPolicy(scenario.pendingDays, scenario.expiryDays);
  const purchases: string[] = [];
  const redemptions: string[] = [];
  const reversed = new Set<string>();
  const at = (hoursAgo: number) => clock.now().getTime() - hoursAgo * HOUR;
  const pickOf = (ids: string[], pick: number, unknown: string) => ids[pick % (ids.length + 1)] ?? unknown;

  for (const [step, o] of scenario.ops.entries()) {
    const id = `${run}-${step}`;
    let actual: unknown;
    let expected: unknown;
    switch (o.kind) {
      case 'purchase': {
        const occurredAt = o.backHours === null ? undefined : at(o.backHours);
        purchases.push(id);
        actual = await answer(
          p.purchases.execute(
            till,
            { userId: member.userId, groupId },
            {
              purchaseId: id,
              userId: member.userId,
              amount: cents(o.cents),
              payer: o.payer,
              occurredAt: iso(occurredAt ?? null) ?? undefined,
            },
          ),
          ({ body: b }) => ({
            pointsEarned: b.pointsEarned,
            status: b.status,
            availableAt: b.availableAt,
            expiresAt: b.expiresAt,
            balance: b.balance,
          }),
        );
        const earned = model.earn(id, o.payer, o.cents, occurredAt);
        expected = { ...earned, availableAt: iso(earned.availableAt), expiresAt: iso(earned.expiresAt) };
        break;
      }
      case 'credit':
      case 'debit': {
        const points = o.kind === 'credit' ? o.points : -o.points;
        actual = await answer(
          p.transactions.execute(admin, groupId, {
            transactionId: id,
            payer: o.payer,
            points,
            timestamp: iso(at(o.backHours))!,
            reason: 'property',
          }),
          ({ body }) => ({ balance: body.balance }),
        );
        expected =
          o.kind === 'credit'
            ? model.credit(id, o.payer, o.points, at(o.backHours))
            : model.debit(o.payer, o.points);
        break;
      }
      case 'redeem':
        actual = await answer(
          p.redemptions.execute(
            member,
            { userId: member.userId, groupId },
            { redemptionId: id, points: o.points },
          ),
          ({ body }) => ({ balance: body.balance, spent: body.spent }),
        );
        expected = model.redeem(id, o.points);
        if (!('refused' in (expected as object))) redemptions.push(id);
        break;
      case 'refund': {
        const purchaseId = pickOf(purchases, o.pick, `${run}-unknown`);
        actual = await answer(
          p.refunds.execute(till, purchaseId, { refundId: id, amount: cents(o.cents) }),
          ({ body }) => ({
            pointsReversed: body.pointsReversed,
            unrecovered: body.unrecovered,
            balance: body.balance,
          }),
        );
        expected = model.refund(purchaseId, o.cents);
        break;
      }
      case 'reverse': {
        const redemptionId = pickOf(redemptions, o.pick, `${run}-unknown`);
        actual = await answer(p.reversals.execute(admin, redemptionId, { reason: 'property' }), (b) => ({
          created: b.created,
          pointsRestored: b.body.pointsRestored,
          pointsExpired: b.body.pointsExpired,
          balance: b.body.balance,
        }));
        const reversal = model.reverse(redemptionId);
        expected = 'refused' in reversal ? reversal : { created: !reversed.has(redemptionId), ...reversal };
        reversed.add(redemptionId);
        break;
      }
      case 'advance':
        clock.advanceHours(o.hours);
        model.advance(o.hours * HOUR);
        if (o.sweep) await p.sweep.run();
        actual = expected = null;
        break;
    }
    expect({ step, op: o, answer: actual }).toEqual({ step, op: o, answer: expected });
    const points = await p.points.points(groupId);
    expect({
      step,
      balance: points.balance,
      pending: points.pending,
      byPayer: nonZero(points.byPayer),
      expiringSoon: points.expiringSoon,
    }).toEqual({
      step,
      balance: model.balance,
      pending: model.pending,
      byPayer: model.byPayer(),
      expiringSoon: model
        .expiringWithin(WARNING_DAYS)
        .map((e) => ({ points: e.points, expiresAt: iso(e.expiresAt) })),
    });
  }

  await p.sweep.run();
  const s = await target.invariants(groupId, clock.now());
  const totals = model.totals();
  expect({
    balance: s.balance,
    pending: s.pending,
    earned: s.earned,
    spent: s.spent,
    expired: s.expired,
    refunded: s.refunded,
    lots: Object.fromEntries(Object.entries(s.remainingByReference).filter(([, n]) => n > 0)),
  }).toEqual({
    balance: totals.available,
    pending: totals.pending,
    earned: totals.earned,
    spent: totals.spent,
    expired: totals.expired,
    refunded: totals.refunded,
    lots: model.remainingByLot(),
  });
  return { groupId, snapshot: s };
}
