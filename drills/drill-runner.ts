import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import type { WebhookReceiver } from '../test/support/webhook-receiver';
import type { DrillName, Engines } from './environment';
import { checkEvents } from './event-checks';
import {
  arrivals,
  disallowedFailures,
  errorWindow,
  latencies,
  outcomeCounts,
  secs,
  statusCounts,
  statusLabel,
  throughput,
} from './figures';
import type { GatewayClient } from './gateway-client';
import { checkLedger } from './ledger-checks';
import { OpenLoopLoad, sleep, type OpRecord } from './open-loop-load';
import { drillStreams } from './operations';
import type { Platform } from './platform';
import { expectedArrivals, loadMs, type Profile } from './profile';
import { checkAssignments, checkVouchers } from './promotion-checks';
import type { DrillReport } from './report';
import { endCampaign, seedDrill, type World } from './seed';

export interface DrillContext {
  api: GatewayClient;
  world: World;
  platform: Platform;
  engines: Engines;
  profile: Profile;
  receiver: WebhookReceiver;
  dbs: { loyalty: Db; promotion: Db; dispatcher: Db };
  /** Every operation of the run so far (funding included): balances are checked against them all. */
  allRecords: OpRecord[];
  log: (line: string) => void;
  /** Where each drill leaves its operations (records-<drill>.json) for a closer look (--keep-logs). */
  runDir: string;
}

/** When one round's failure began and ended (Date.now()). */
export interface RoundMarks {
  killAt: number;
  restartAt: number;
}

export interface DrillPlan {
  name: DrillName;
  /** Short, in business ids and usernames. */
  tag: string;
  /** Failure statuses clients may see, besides successes and final 4xx (0: a socket error). */
  allowedFailures: ReadonlySet<number>;
  /** The drill checks that more first logins than N happen, and N vouchers are issued. */
  oversubscribeVouchers: boolean;
  /** The survivors must carry the load while the failed part is down (their throughput is checked). */
  checkSurvivorThroughput: boolean;
  /** One round: the failure, the outage, the restart and the recovery, under load. */
  round(ctx: DrillContext, report: DrillReport, round: number): Promise<RoundMarks>;
}

/** How long the checks wait for asynchronous effects (events, vouchers) to arrive. */
const SETTLE_MS = 60_000;
/** An operation this slow to succeed (its retries included) is counted in the figures. */
const SLOW_MS = 10_000;
/** The survivors carry the load when they complete at least this share of what arrives. */
const SURVIVOR_SHARE = 0.85;

export const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));

/**
 * One drill: its own fresh users, campaign and coupon books; an open-loop mix over both gateways;
 * the plan's failure `rounds` times after a warm-up; then the load stops, every operation
 * retries to its end, and the checks run.
 */
export async function runDrill(ctx: DrillContext, plan: DrillPlan, report: DrillReport): Promise<void> {
  const { api, world, profile, platform } = ctx;
  const firstLogins = Math.floor((profile.rates.firstLogin * loadMs(profile)) / 1000);
  const seedStarted = Date.now();
  const seed = await seedDrill(api, world, {
    tag: plan.tag,
    freshUsers: expectedArrivals(profile, 'firstLogin'),
    // Fewer vouchers than first logins: the campaign runs out during the drill.
    voucherLimit: Math.max(3, Math.floor(firstLogins * 0.5)),
    assignments: expectedArrivals(profile, 'assignment'),
  });
  ctx.log(`${plan.name}: seeded in ${secs(Date.now() - seedStarted)}; load starts`);

  const incidentsBefore = platform.incidents.length;
  const load = new OpenLoopLoad(drillStreams(api, world, seed, profile), api, {
    retryForMs: profile.retryForMs,
  });
  const loadStart = Date.now();
  load.start();
  const marks: RoundMarks[] = [];
  try {
    await sleep(profile.warmupMs);
    for (let round = 0; round < profile.rounds; round++) marks.push(await plan.round(ctx, report, round));
  } catch (err) {
    // A failure or restart that doesn't happen as planned: what ran is still checked.
    report.check(`round ${marks.length + 1} ran as planned`, false, (err as Error).message);
  } finally {
    load.stop();
  }
  const loadEnd = Date.now();
  ctx.log(
    `${plan.name}: load stopped after ${secs(loadEnd - loadStart)}; ${load.inFlightCount} operations still retrying`,
  );
  await load.drain();
  const records = load.records;
  ctx.allRecords.push(...records);
  const dump = { loadStart, loadEnd, marks, records: records.map(({ result: _result, ...r }) => r) };
  writeFileSync(join(ctx.runDir, `records-${plan.name}.json`), JSON.stringify(dump));

  describeLoad(report, records, loadStart, loadEnd, load.missed);
  describeRounds(report, plan, records, marks, loadStart);
  checkAnswers(report, plan, ctx, records);

  // A check that can't read its outcome fails as a check: the drill's other checks still run.
  const guarded = async (what: string, check: () => Promise<void>) =>
    check().catch((err: Error) =>
      report.check(`${what}: the check could read its outcome`, false, err.message),
    );
  await guarded('the ledger', () =>
    checkLedger(report, api, world.adminToken, records, ctx.allRecords, ctx.dbs.loyalty),
  );
  await guarded('the events', () =>
    checkEvents(report, ctx.receiver, world.webhook.secret, records, SETTLE_MS, ctx.dbs.dispatcher),
  );
  await guarded('the vouchers', () =>
    checkVouchers(report, {
      api,
      world,
      seed,
      records,
      promotionDb: ctx.dbs.promotion,
      dispatcherDb: ctx.dbs.dispatcher,
      receiver: ctx.receiver,
      oversubscribed: plan.oversubscribeVouchers,
      timeoutMs: SETTLE_MS,
    }),
  );
  await guarded('the assignments', () => checkAssignments(report, api, world, seed, records));
  await guarded('the campaign ended', () => endCampaign(api, world, seed.campaignId));

  const incidents = platform.incidents.slice(incidentsBefore);
  report.check(
    'no app exited unless the drill killed it',
    !incidents.length,
    incidents.map((i) => `${i.replica} (${i.how}): ${i.lastLines.slice(-3).join(' | ')}`).join('\n'),
  );
}

function describeLoad(
  report: DrillReport,
  records: readonly OpRecord[],
  loadStart: number,
  loadEnd: number,
  missed: Record<string, number>,
): void {
  report.figure(
    'load',
    `${records.length} operations in ${secs(loadEnd - loadStart)} (${arrivals(records, loadStart, loadEnd)}/s offered, open loop)`,
  );
  for (const [kind, counts] of Object.entries(statusCounts(records))) {
    const outcomes = outcomeCounts(records)[kind];
    report.figure(
      `${kind} attempts by status`,
      `${JSON.stringify(counts)}; operations ${JSON.stringify(outcomes)}`,
    );
  }
  const lat = latencies(records);
  const slow = records.filter((r) => r.outcome === 'ok' && r.endedAt! - r.startedAt > SLOW_MS).length;
  report.figure(
    'successful operations, arrival to final answer (retries included)',
    `p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms; ${slow} took over ${SLOW_MS / 1000} s`,
  );
  if (Object.keys(missed).length)
    report.note(`arrivals not sent (pool used up or too much in flight): ${JSON.stringify(missed)}`);
}

function describeRounds(
  report: DrillReport,
  plan: DrillPlan,
  records: readonly OpRecord[],
  marks: readonly RoundMarks[],
  loadStart: number,
): void {
  const before = errorWindow(records, loadStart, marks[0]?.killAt ?? Infinity);
  report.figure('failed attempts before the first kill', before.failures);
  marks.forEach((m, i) => {
    const window = errorWindow(records, m.killAt, marks[i + 1]?.killAt ?? Infinity);
    report.figure(
      `round ${i + 1}: error window`,
      window.failures
        ? `${secs(window.ms)}: ${window.failures} failed attempts, sent from kill +${secs(window.firstSentMs!)}, the last answered at kill +${secs(window.lastDoneMs!)}`
        : 'none: no client saw a failure',
    );
    const calm = Math.min(10_000, m.killAt - (marks[i - 1]?.restartAt ?? loadStart));
    const beforeRate = throughput(records, m.killAt - calm, m.killAt);
    // The first seconds after a kill are retries of what was in flight: not the survivors' pace.
    const from = m.killAt + 3_000;
    const during = throughput(records, from, m.restartAt);
    const offered = arrivals(records, from, m.restartAt);
    report.figure(
      `round ${i + 1}: throughput`,
      `${beforeRate} ops/s before the kill, ${during} ops/s while down (offered ${offered}/s)`,
    );
    if (plan.checkSurvivorThroughput) {
      report.check(
        `round ${i + 1}: the survivors carried the load (≥ ${SURVIVOR_SHARE * 100}% of what arrived)`,
        during >= offered * SURVIVOR_SHARE,
        `${during} of ${offered} ops/s`,
      );
    }
  });
}

function checkAnswers(
  report: DrillReport,
  plan: DrillPlan,
  ctx: DrillContext,
  records: readonly OpRecord[],
): void {
  const allowed = [...plan.allowedFailures].map((s) => (s === 0 ? 'socket errors' : String(s))).join(', ');
  const bad = disallowedFailures(records, plan.allowedFailures);
  const evidence = [...new Set(bad.map((a) => a.errorId).filter(Boolean))]
    .slice(0, 3)
    .flatMap((id) => ctx.platform.logLinesWith(id!, 2));
  const labels = bad.reduce<Record<string, number>>(
    (acc, a) => ({ ...acc, [statusLabel(a)]: (acc[statusLabel(a)] ?? 0) + 1 }),
    {},
  );
  report.check(
    `clients saw no failure but ${allowed} (besides 2xx and final 4xx)`,
    !bad.length,
    bad.length ? `${JSON.stringify(labels)}${evidence.length ? `\n${evidence.join('\n')}` : ''}` : undefined,
  );
  const unresolved = records.filter((r) => r.outcome === 'unresolved');
  const rejected = records.filter((r) => r.outcome === 'rejected');
  const retried = records.filter((r) => r.attempts.length > 1).length;
  const refusals = rejected.reduce<Record<string, number>>((acc, r) => {
    const label = `${r.kind} ${statusLabel(r.attempts[r.attempts.length - 1])}`;
    return { ...acc, [label]: (acc[label] ?? 0) + 1 };
  }, {});
  report.check(
    `every operation converged to success, retried with its same business id (${retried} retried)`,
    !unresolved.length && !rejected.length,
    [
      unresolved.length && `${unresolved.length} still failing after ${ctx.profile.retryForMs / 1000} s`,
      rejected.length &&
        `refused for good: ${JSON.stringify(refusals)}, e.g. ${rejected[0].kind} ${rejected[0].id}`,
    ]
      .filter(Boolean)
      .join('; '),
  );
}
