import type { LotKey } from './payer-lots';
import { oldestFirst } from './payer-lots';

/** Points a negative payer transaction took from one lot: kept so a late, older lot can take over. */
export interface Allocation extends LotKey {
  lotId: string;
  payer: string;
  points: number;
}

export interface PayerDebit<K> {
  key: K;
  allocations: Allocation[];
}

export interface LateLotPlan<K> {
  /** Points the late lot gives to the debits (taken from its remainder). */
  taken: number;
  /** Per younger lot, the points given back to it. */
  restored: Map<string, number>;
  /** The debits whose allocations changed, with their new allocations. */
  debits: Array<PayerDebit<K>>;
}

/**
 * Seed 004: points are spent by transaction time, not arrival order. When a lot arrives dated
 * before points a negative payer transaction already took from younger lots of the same payer,
 * the debit moves onto the late lot, youngest lots given back first, as much as the late lot
 * holds. Afterwards the payer's debits hold the oldest points, exactly as if everything had
 * arrived in time order (redemptions keep what they spent: a member's points stay spent).
 */
export function planLateLot<K>(late: Allocation, debits: Array<PayerDebit<K>>): LateLotPlan<K> {
  const younger: Array<{ debit: PayerDebit<K>; allocation: Allocation }> = [];
  for (const debit of debits) {
    for (const allocation of debit.allocations) {
      if (allocation.points > 0 && oldestFirst(late, allocation) < 0) younger.push({ debit, allocation });
    }
  }
  younger.sort((a, b) => oldestFirst(b.allocation, a.allocation));
  const plan: LateLotPlan<K> = { taken: 0, restored: new Map(), debits: [] };
  const changed = new Map<PayerDebit<K>, Allocation[]>();
  let capacity = late.points;
  for (const { debit, allocation } of younger) {
    if (capacity === 0) break;
    const moved = Math.min(allocation.points, capacity);
    capacity -= moved;
    plan.taken += moved;
    plan.restored.set(allocation.lotId, (plan.restored.get(allocation.lotId) ?? 0) + moved);
    const allocations = changed.get(debit) ?? debit.allocations.map((a) => ({ ...a }));
    changed.set(debit, allocations);
    const from = allocations.find((a) => a.lotId === allocation.lotId)!;
    from.points -= moved;
    const onto = allocations.find((a) => a.lotId === late.lotId);
    if (onto) onto.points += moved;
    else allocations.push({ ...late, points: moved });
  }
  for (const [debit, allocations] of changed) {
    plan.debits.push({
      key: debit.key,
      allocations: allocations.filter((a) => a.points > 0).sort(oldestFirst),
    });
  }
  return plan;
}
