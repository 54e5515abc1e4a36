import fc from 'fast-check';
import { DomainError } from '@lib/errors';

/** One step of a random ledger history: a purchase, a payer credit, a redemption, a payer debit. */
export type LedgerOp =
  | { kind: 'earn' | 'credit'; payer: string; points: number; hour: number }
  | { kind: 'redeem'; points: number }
  | { kind: 'debit'; payer: string; points: number };

/**
 * Random ledger steps for the property tests, within `limits` (the largest points of each kind,
 * and how many distinct hours credits fall on: few, so equal timestamps are common).
 */
export function ledgerOp(
  payers: readonly string[],
  limits: { credit: number; redeem: number; debit: number; hours: number },
): fc.Arbitrary<LedgerOp> {
  return fc.oneof(
    fc.record({
      kind: fc.constantFrom('earn' as const, 'credit' as const),
      payer: fc.constantFrom(...payers),
      points: fc.integer({ min: 1, max: limits.credit }),
      hour: fc.integer({ min: 0, max: limits.hours }),
    }),
    fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: limits.redeem }) }),
    fc.record({
      kind: fc.constant('debit' as const),
      payer: fc.constantFrom(...payers),
      points: fc.integer({ min: 1, max: limits.debit }),
    }),
  );
}

/** The code a step was refused with (INSUFFICIENT_POINTS…), or undefined when it went through. */
export async function refusalCode(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}
