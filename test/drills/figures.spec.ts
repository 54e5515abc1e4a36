import { disallowedFailures, errorWindow, statusCounts, throughput } from '../../drills/figures';
import type { Attempt, OpRecord } from '../../drills/open-loop-load';

const attempt = (sentAt: number, doneAt: number, status: number, code?: string): Attempt => ({
  gateway: 0,
  sentAt,
  doneAt,
  status,
  code,
});
const op = (id: string, attempts: Attempt[], outcome: OpRecord['outcome'] = 'ok'): OpRecord => ({
  kind: 'purchase',
  id,
  startedAt: attempts[0].sentAt,
  endedAt: attempts[attempts.length - 1].doneAt,
  attempts,
  outcome,
});

describe('drill figures', () => {
  const kill = 10_000;
  const records = [
    op('before', [attempt(9_000, 9_050, 201)]),
    // In flight at the kill, failed after it, then retried.
    op('in-flight', [attempt(9_900, 15_000, 504, 'UPSTREAM_TIMEOUT'), attempt(15_200, 15_300, 200)]),
    op('during', [attempt(11_000, 11_010, 503, 'UPSTREAM_UNAVAILABLE'), attempt(12_000, 12_100, 201)]),
    op('later', [attempt(20_000, 20_040, 201)]),
  ];

  it('the error window runs from the kill (or a later first failure) to the last failed answer', () => {
    expect(errorWindow(records, kill)).toEqual({ failures: 2, ms: 5_000, firstSentMs: 0, lastDoneMs: 5_000 });
    expect(errorWindow(records, 0, kill)).toEqual({ failures: 0, ms: 0 });
    expect(errorWindow(records, 10_500)).toEqual({
      failures: 2,
      ms: 4_500,
      firstSentMs: 0,
      lastDoneMs: 4_500,
    });
  });

  it('counts attempts by kind and status, with the problem code of a refusal', () => {
    expect(statusCounts(records)).toEqual({
      purchase: { '200': 1, '201': 3, '503 UPSTREAM_UNAVAILABLE': 1, '504 UPSTREAM_TIMEOUT': 1 },
    });
  });

  it('throughput counts operations that succeeded within the window, per second', () => {
    expect(throughput(records, 10_000, 20_000)).toBe(0.2);
    expect(throughput(records, 0, 30_000)).toBe(0.1);
  });

  it('finds the failures a drill does not allow: a 500 and a dropped connection, not a 503', () => {
    const bad = [
      op('internal', [attempt(1, 2, 500, 'INTERNAL'), attempt(3, 4, 201)]),
      op('socket', [{ ...attempt(5, 6, 0), error: 'ECONNRESET' }, attempt(7, 8, 201)]),
    ];
    const found = disallowedFailures([...records, ...bad], new Set([503, 504]));
    expect(found.map((a) => a.status)).toEqual([500, 0]);
  });
});
