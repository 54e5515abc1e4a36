import type { Db } from 'mongodb';
import { snapshotGroupLedger } from '../test/support/loyalty/ledger-invariants';
import type { GatewayClient } from './gateway-client';
import type { OpRecord } from './open-loop-load';
import type { DrillReport } from './report';
import { mapLimit } from './seed';

interface HistoryEntry {
  type: string;
  points: number;
  reference: string;
}

/** The entry type an operation of the load leaves in its group's history. */
const ENTRY_TYPE: Record<string, string> = { purchase: 'EARN', redemption: 'REDEEM' };

async function historyOf(api: GatewayClient, token: string, groupId: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await api.get(
      `/v1/admin/groups/${groupId}/points/history?${query}`,
      token,
      `history of ${groupId}`,
    );
    entries.push(...(page.items as HistoryEntry[]));
    cursor = page.nextCursor as string | null;
  } while (cursor);
  return entries;
}

const list = (ids: string[], max = 8) =>
  `${ids.slice(0, max).join(', ')}${ids.length > max ? ` (+${ids.length - max})` : ''}`;

/**
 * Through the API, as an auditor would: every purchase and redemption that got a 2xx is in its
 * group's history exactly once (and one refused for good is not), no reference appears twice,
 * and each group's balance is what the client's successful answers add up to. Then, from
 * MongoDB, the ledger invariants of every group (test/support/loyalty/ledger-invariants.ts).
 */
export async function checkLedger(
  report: DrillReport,
  api: GatewayClient,
  adminToken: string,
  drillRecords: readonly OpRecord[],
  allRecords: readonly OpRecord[],
  loyaltyDb: Db,
): Promise<void> {
  const ledgerOps = (records: readonly OpRecord[]) => records.filter((r) => r.kind in ENTRY_TYPE);
  const groups = [...new Set(ledgerOps(allRecords).map((r) => r.groupId!))];
  const histories = new Map(
    await mapLimit(groups, 4, async (g) => [g, await historyOf(api, adminToken, g)] as const),
  );

  const counts = new Map<string, number>();
  const pointsOf = new Map<string, number>();
  const duplicates: string[] = [];
  for (const entries of histories.values()) {
    for (const e of entries) {
      if (e.type !== 'EARN' && e.type !== 'REDEEM') continue;
      const key = `${e.type}:${e.reference}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      pointsOf.set(key, e.points);
      if (counts.get(key) === 2) duplicates.push(key);
    }
  }
  const keyOf = (r: OpRecord) => `${ENTRY_TYPE[r.kind]}:${r.id}`;
  const countOf = (r: OpRecord) => counts.get(keyOf(r)) ?? 0;
  const mine = ledgerOps(drillRecords);
  const succeeded = mine.filter((r) => r.outcome === 'ok');
  const missing = succeeded.filter((r) => countOf(r) === 0).map((r) => r.id);
  const twice = mine.filter((r) => countOf(r) > 1).map((r) => r.id);
  // Refused at once, with no earlier attempt that might have gone through: it must not be there.
  const refusedButThere = mine
    .filter((r) => r.outcome === 'rejected' && !uncertain(r) && countOf(r) > 0)
    .map((r) => r.id);
  report.check(
    `every purchase and redemption with a 2xx is in the ledger exactly once (${succeeded.length} of them)`,
    !missing.length && !twice.length,
    [missing.length && `missing: ${list(missing)}`, twice.length && `more than once: ${list(twice)}`]
      .filter(Boolean)
      .join('; '),
  );
  report.check(
    'no reference appears twice in any history, and nothing refused outright was recorded',
    !duplicates.length && !refusedButThere.length,
    [
      duplicates.length && `duplicated: ${list(duplicates)}`,
      refusedButThere.length && `refused yet recorded: ${list(refusedButThere)}`,
    ]
      .filter(Boolean)
      .join('; '),
  );
  const unknown = mine.filter(uncertain);
  if (unknown.length) {
    const applied = unknown.filter((r) => countOf(r) === 1).length;
    report.note(
      `${unknown.length} ledger operations without a success whose attempts may have gone through: ${applied} applied (once), the rest not at all`,
    );
  }

  // The client's view of each group: its successful answers, and for an operation whose outcome
  // it can't know, what the ledger says (its entry, or nothing).
  const expected = new Map<string, number>();
  for (const r of ledgerOps(allRecords)) {
    let points = 0;
    if (r.outcome === 'ok')
      points = r.kind === 'purchase' ? Number(r.result.pointsEarned) : -Number(r.result.points);
    else if (uncertain(r)) points = pointsOf.get(keyOf(r)) ?? 0;
    expected.set(r.groupId!, (expected.get(r.groupId!) ?? 0) + points);
  }
  await checkBalances(report, api, adminToken, expected);
  await checkInvariants(report, loyaltyDb, groups);
}

/** Not a success, and some attempt's answer was lost (5xx, dropped), so it may have been applied. */
function uncertain(r: OpRecord): boolean {
  return r.outcome !== 'ok' && r.attempts.some((a) => a.status === 0 || a.status >= 500);
}

async function checkBalances(
  report: DrillReport,
  api: GatewayClient,
  adminToken: string,
  expected: ReadonlyMap<string, number>,
): Promise<void> {
  const wrong: string[] = [];
  await mapLimit([...expected.keys()], 4, async (groupId) => {
    const points = await api.get(`/v1/admin/groups/${groupId}/points`, adminToken, `points of ${groupId}`);
    const actual = Number(points.balance) + Number(points.pending ?? 0);
    if (actual !== expected.get(groupId))
      wrong.push(`${groupId}: ${actual}, expected ${expected.get(groupId)}`);
  });
  report.check(
    `each group's points are what the client's answers add up to (${expected.size} groups)`,
    !wrong.length,
    list(wrong, 5),
  );
}

async function checkInvariants(report: DrillReport, db: Db, groups: string[]): Promise<void> {
  const broken: string[] = [];
  await mapLimit(groups, 4, async (groupId) => {
    const snapshot = await snapshotGroupLedger(db, groupId);
    for (const violation of snapshot.violations) broken.push(`${groupId}: ${violation}`);
  });
  report.check(
    `ledger invariants hold in every group (balance = Σ lot remainders, entries chain...; ${groups.length} groups)`,
    !broken.length,
    list(broken, 5),
  );
}
