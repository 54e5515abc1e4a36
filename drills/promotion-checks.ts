import type { Db } from 'mongodb';
import type { WebhookReceiver } from '../test/support/webhook-receiver';
import { delivered, explainMissing } from './event-checks';
import type { GatewayClient } from './gateway-client';
import { sleep, type OpRecord } from './open-loop-load';
import type { DrillReport } from './report';
import { mapLimit, type DrillSeed, type World } from './seed';

/** After the campaign reached its count, how long we keep watching for one voucher too many. */
const OVERISSUE_WATCH_MS = 3_000;

/**
 * The FIRST_LOGIN campaign issued exactly min(N, successful first logins) vouchers: its counters
 * (API), the vouchers themselves (MongoDB: one per user, each to a user of this drill who logged
 * in for the first time), and the voucher.issued webhooks. `oversubscribed`: the drill must also
 * have had more first logins than N (drill 2, which asks for exactly N under a broker failure).
 */
export async function checkVouchers(
  report: DrillReport,
  options: {
    api: GatewayClient;
    world: World;
    seed: DrillSeed;
    records: readonly OpRecord[];
    promotionDb: Db;
    dispatcherDb: Db;
    receiver: WebhookReceiver;
    oversubscribed: boolean;
    timeoutMs: number;
  },
): Promise<void> {
  const { api, world, seed, records } = options;
  const logins = records.filter((r) => r.kind === 'firstLogin');
  const succeeded = logins.filter((r) => r.outcome === 'ok');
  const limit = seed.voucherLimit;
  const expected = Math.min(limit, succeeded.length);
  if (options.oversubscribed) {
    report.check(
      `more first logins than the campaign's N = ${limit} vouchers`,
      succeeded.length > limit,
      `${succeeded.length} first logins`,
    );
  }

  const readCampaign = async () =>
    (await api.get(`/v1/admin/campaigns/${seed.campaignId}`, world.adminToken, 'read the campaign')) as {
      issued: number;
      remaining: number;
    };
  const started = Date.now();
  let campaign = await readCampaign();
  while (campaign.issued < expected && Date.now() - started < options.timeoutMs) {
    await sleep(500);
    campaign = await readCampaign();
  }
  const settledMs = Date.now() - started;
  await sleep(OVERISSUE_WATCH_MS);
  campaign = await readCampaign();
  report.check(
    `the campaign issued exactly ${expected} vouchers (N = ${limit}, ${succeeded.length} first logins)`,
    campaign.issued === expected && campaign.remaining === limit - expected,
    `issued ${campaign.issued}, remaining ${campaign.remaining}`,
  );
  report.figure('voucher check waited for the campaign to settle', `${(settledMs / 1000).toFixed(1)} s`);

  const vouchers = await options.promotionDb
    .collection('vouchers')
    .find({ campaignId: seed.campaignId }, { projection: { userId: 1 } })
    .toArray();
  const holders = new Set(vouchers.map((v) => v.userId as string));
  const drillUsers = new Set(logins.map((r) => r.userId));
  const strangers = [...holders].filter((u) => !drillUsers.has(u));
  report.check(
    'one voucher per user, each to a user of this drill who logged in for the first time',
    vouchers.length === expected && holders.size === vouchers.length && !strangers.length,
    `${vouchers.length} vouchers, ${holders.size} holders${strangers.length ? `, not this drill's first logins: ${strangers.slice(0, 5).join(', ')}` : ''}`,
  );

  const webhookDeadline = Date.now() + options.timeoutMs;
  const issuedEvents = () =>
    [...delivered(options.receiver, world.webhook.secret).vouchers.values()].filter(
      (v) => v.campaignId === seed.campaignId,
    ).length;
  while (issuedEvents() < expected && Date.now() < webhookDeadline) await sleep(500);
  const got = delivered(options.receiver, world.webhook.secret).vouchers;
  const undelivered = vouchers.map((v) => String(v._id)).filter((id) => !got.has(id));
  report.check(
    `a voucher.issued webhook for each voucher (${expected})`,
    issuedEvents() === expected,
    `${issuedEvents()} delivered${
      undelivered.length
        ? `\n${(
            await explainMissing(
              options.dispatcherDb,
              undelivered.map((id) => [id]),
            )
          ).join('\n')}`
        : ''
    }`,
  );
}

/**
 * Assignments, whose business id is (member, book) under maxCodesPerUser 1: every successful one
 * left exactly one code with its member (read through the member's own GET /v1/coupons/me), a
 * refused one none, and each book's `assigned` counter equals the codes its members hold.
 */
export async function checkAssignments(
  report: DrillReport,
  api: GatewayClient,
  world: World,
  seed: DrillSeed,
  records: readonly OpRecord[],
): Promise<void> {
  const books = new Set(seed.books);
  const held = new Map<string, number>(); // `${userId}:${book}` → codes
  await mapLimit(world.members, 4, async (member) => {
    const mine = await api.get('/v1/coupons/me', member.token, `coupons of ${member.username}`);
    for (const coupon of mine.items as Array<{ couponBookId: string }>) {
      if (!books.has(coupon.couponBookId)) continue;
      const key = `${member.userId}:${coupon.couponBookId}`;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  });
  const ops = records.filter((r) => r.kind === 'assignment');
  const succeeded = ops.filter((r) => r.outcome === 'ok');
  const wrong = succeeded.filter((r) => (held.get(r.id) ?? 0) !== 1);
  const twice = [...held].filter(([, n]) => n > 1).map(([key]) => key);
  report.check(
    `each successful assignment left exactly one code with its member (${succeeded.length}), none twice`,
    !wrong.length && !twice.length,
    [...wrong.map((r) => `${r.id}: ${held.get(r.id) ?? 0} codes`), ...twice.map((k) => `${k} twice`)]
      .slice(0, 8)
      .join('; '),
  );
  // Refused at first asking, yet the member holds the book's code: the request was applied and
  // then answered again (a redelivered RPC) with the refusal its own effect causes.
  const refusedButHeld = ops.filter((r) => r.outcome === 'rejected' && (held.get(r.id) ?? 0) > 0);
  report.check(
    'no assignment was refused although its member got the code',
    !refusedButHeld.length,
    refusedButHeld.length
      ? `${refusedButHeld.length} answered ${refusedButHeld[0].attempts.map((a) => a.code ?? a.status).join(' then ')} (e.g. ${refusedButHeld[0].id}) yet hold their code`
      : undefined,
  );

  const counters: string[] = [];
  for (const book of seed.books) {
    const body = await api.get(`/v1/admin/coupon-books/${book}`, world.adminToken, 'read a coupon book');
    const holding = [...held].filter(([key]) => key.endsWith(`:${book}`)).reduce((sum, [, n]) => sum + n, 0);
    if (body.stats.assigned !== holding)
      counters.push(`${book}: assigned ${body.stats.assigned}, held ${holding}`);
  }
  report.check(
    "each coupon book's assigned counter equals the codes its members hold",
    !counters.length,
    counters.join('; '),
  );
}
