import { sleepUntil, type DrillPlan } from './drill-runner';
import type { DrillName } from './environment';
import { secs } from './figures';
import { sleep } from './open-loop-load';
import { replicaName } from './platform';

/**
 * Drill 1: the MongoDB primary is SIGKILLed under load. Clients may see 503 or 504 while the
 * members elect another (never a 500, never a dropped connection); the old primary comes back as
 * a secondary after the outage. The next round kills whichever member is primary then.
 */
const mongoPrimary: DrillPlan = {
  name: 'mongo-primary',
  tag: 'mp',
  allowedFailures: new Set([503, 504]),
  oversubscribeVouchers: false,
  checkSurvivorThroughput: false,
  async round(ctx, report, round) {
    const mongo = ctx.engines.mongo!;
    const victim = await mongo.primary();
    const killAt = Date.now();
    await mongo.kill(victim.port, 'SIGKILL');
    const elected = await mongo.waitForPrimary(60_000);
    report.figure(
      `round ${round + 1}: election`,
      `${secs(Date.now() - killAt)} from SIGKILL of the primary :${victim.port} to a new primary :${elected.port}`,
    );
    await sleepUntil(killAt + ctx.profile.outageMs);
    const restartAt = Date.now();
    await mongo.restart(victim.port);
    report.figure(
      `round ${round + 1}: killed member back as a secondary`,
      `${secs(Date.now() - restartAt)} after its restart`,
    );
    await sleep(ctx.profile.recoveryMs);
    return { killAt, restartAt };
  },
};

/**
 * Drill 2: one RabbitMQ node is SIGKILLed under load (quorum queues keep a majority on the other
 * two). No acknowledged event may be lost, and the FIRST_LOGIN campaign still issues exactly N.
 */
const rabbitNode: DrillPlan = {
  name: 'rabbit-node',
  tag: 'rn',
  allowedFailures: new Set([503, 504]),
  oversubscribeVouchers: true,
  checkSurvivorThroughput: false,
  async round(ctx, report, round) {
    const rabbit = ctx.engines.rabbit!;
    // Not the first node (the one the cluster was formed on) in the first round.
    const victim = rabbit.nodes[(round + 1) % rabbit.nodes.length];
    const killAt = Date.now();
    await rabbit.kill(victim.name);
    await sleep(Math.min(3_000, ctx.profile.outageMs / 2));
    const cutOff = await ctx.platform.notReady();
    report.figure(
      `round ${round + 1}: node ${victim.name} killed`,
      `replicas not ready 3 s later: ${cutOff.length ? cutOff.join(', ') : 'none'}`,
    );
    await sleepUntil(killAt + ctx.profile.outageMs);
    const restartAt = Date.now();
    await rabbit.restart(victim.name);
    const nodeBack = Date.now();
    await ctx.platform.waitReady(ctx.platform.replicas.filter((r) => !r.killed));
    report.figure(
      `round ${round + 1}: node restarted`,
      `back in ${secs(nodeBack - restartAt)}, every replica ready ${secs(Date.now() - nodeBack)} later`,
    );
    await sleep(ctx.profile.recoveryMs);
    return { killAt, restartAt };
  },
};

/**
 * Drill 3: one replica of every app is SIGKILLed at once under load. Failed requests are retried
 * with the same business ids until they succeed; the survivors carry the load until the killed
 * replicas are back. The next round kills the other replica of every app.
 */
const appReplicas: DrillPlan = {
  name: 'app-replicas',
  tag: 'ar',
  // A killed gateway drops its connections (socket errors); a killed service leaves RPCs
  // unanswered (504) or its queue without a consumer for a moment (503).
  allowedFailures: new Set([0, 502, 503, 504]),
  oversubscribeVouchers: false,
  checkSurvivorThroughput: true,
  async round(ctx, report, round) {
    const victims = ctx.platform.replicaSet(round % 2);
    const killAt = Date.now();
    await ctx.platform.kill(victims);
    report.figure(`round ${round + 1}: SIGKILLed`, victims.map(replicaName).join(', '));
    await sleepUntil(killAt + ctx.profile.outageMs);
    const restartAt = Date.now();
    await ctx.platform.restart(victims);
    report.figure(
      `round ${round + 1}: killed replicas ready again`,
      `${secs(Date.now() - restartAt)} after their restart`,
    );
    await sleep(ctx.profile.recoveryMs);
    return { killAt, restartAt };
  },
};

export const PLANS: Record<DrillName, DrillPlan> = {
  'mongo-primary': mongoPrimary,
  'rabbit-node': rabbitNode,
  'app-replicas': appReplicas,
};

/** What a drill needs that the machine's single-node engines don't have. */
export function missingFor(
  name: DrillName,
  engines: { mongo?: unknown; rabbit?: unknown },
): string | undefined {
  if (name === 'mongo-primary' && !engines.mongo)
    return 'a 3-member replica set (run without --use-env-infra)';
  if (name === 'rabbit-node' && !engines.rabbit)
    return 'a 3-node RabbitMQ cluster (run without --use-env-infra)';
  return undefined;
}
