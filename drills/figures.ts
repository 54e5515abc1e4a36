import type { Attempt, OpRecord } from './open-loop-load';

/** A failed attempt: a 5xx, or no HTTP answer at all (socket error, client timeout). */
export const isFailure = (a: Attempt) => a.status === 0 || a.status >= 500;

/** "503 UPSTREAM_UNAVAILABLE", "201", "socket ECONNREFUSED". */
export function statusLabel(a: Attempt): string {
  if (a.status === 0) return `socket ${a.error ?? 'error'}`;
  return a.status >= 400 && a.code ? `${a.status} ${a.code}` : String(a.status);
}

const attemptsOf = (records: readonly OpRecord[]) => records.flatMap((r) => r.attempts);

/** Attempts by kind and status label. */
export function statusCounts(records: readonly OpRecord[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const record of records) {
    const byStatus = (counts[record.kind] ??= {});
    for (const a of record.attempts) byStatus[statusLabel(a)] = (byStatus[statusLabel(a)] ?? 0) + 1;
  }
  return counts;
}

export function outcomeCounts(records: readonly OpRecord[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const r of records) {
    const byOutcome = (counts[r.kind] ??= {});
    const outcome = r.outcome ?? 'pending';
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  }
  return counts;
}

export interface ErrorWindow {
  failures: number;
  /**
   * How long clients were failing: from the first failed request's send (or `since`, if it was
   * sent before) to the last failure's answer; 0 without failures.
   */
  ms: number;
  /** Relative to `since`. */
  firstSentMs?: number;
  lastDoneMs?: number;
}

/** The failures answered in [since, until) (from a kill to the next), and how long they went on. */
export function errorWindow(records: readonly OpRecord[], since: number, until = Infinity): ErrorWindow {
  const failed = attemptsOf(records).filter((a) => isFailure(a) && a.doneAt >= since && a.doneAt < until);
  if (!failed.length) return { failures: 0, ms: 0 };
  const firstSentAt = Math.max(since, Math.min(...failed.map((a) => a.sentAt)));
  const lastDoneAt = Math.max(...failed.map((a) => a.doneAt));
  return {
    failures: failed.length,
    ms: lastDoneAt - firstSentAt,
    firstSentMs: firstSentAt - since,
    lastDoneMs: lastDoneAt - since,
  };
}

/** Operations completed successfully per second within [from, to). */
export function throughput(records: readonly OpRecord[], from: number, to: number): number {
  if (to <= from) return 0;
  const done = records.filter((r) => r.outcome === 'ok' && r.endedAt! >= from && r.endedAt! < to).length;
  return round((done * 1000) / (to - from), 1);
}

/** Operations that arrived per second within [from, to): the offered load. */
export function arrivals(records: readonly OpRecord[], from: number, to: number): number {
  if (to <= from) return 0;
  return round(
    (records.filter((r) => r.startedAt >= from && r.startedAt < to).length * 1000) / (to - from),
    1,
  );
}

/** Percentiles (ms) of successful operations, from arrival to their final answer (retries included). */
export function latencies(records: readonly OpRecord[]): { p50: number; p99: number; max: number } {
  const ms = records
    .filter((r) => r.outcome === 'ok' && r.endedAt !== undefined)
    .map((r) => r.endedAt! - r.startedAt)
    .sort((a, b) => a - b);
  const at = (p: number) =>
    ms.length ? ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] : NaN;
  return { p50: at(50), p99: at(99), max: ms.length ? ms[ms.length - 1] : NaN };
}

/** The attempts whose status is neither a success, nor a final 4xx, nor one of `allowed`. */
export function disallowedFailures(records: readonly OpRecord[], allowed: ReadonlySet<number>): Attempt[] {
  return attemptsOf(records).filter((a) => isFailure(a) && !allowed.has(a.status));
}

export const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
