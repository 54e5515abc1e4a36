import { expectStatus, retryTransient as retrying, type GatewayClient } from './gateway-client';
import type { OpRecord } from './open-loop-load';

export const PASSWORD = 'drill-password-42';

export interface Member {
  username: string;
  userId: string;
  groupId: string;
  token: string;
}

/** What every drill shares: the admin, the till, the members, the webhook endpoint. */
export interface World {
  runId: string;
  adminToken: string;
  till: { clientId: string; token: string };
  members: Member[];
  webhook: { webhookId: string; secret: string };
  /** The purchases that gave each member its starting points, as the load records its own. */
  funding: OpRecord[];
}

/** What one drill adds: fresh users for first logins, its campaign, its coupon books. */
export interface DrillSeed {
  tag: string;
  campaignId: string;
  voucherLimit: number;
  freshUsers: FreshUser[];
  /** Each member may take one code of each book (maxCodesPerUser 1): (member, book) is the business id. */
  books: string[];
}

/** The events the receiver subscribes to: enough to follow every operation of the mix. */
export const WEBHOOK_EVENTS = ['purchase.recorded', 'points.redeemed', 'voucher.issued', 'coupon.assigned'];

const SEED_CONCURRENCY = 6;

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function login(api: GatewayClient, username: string, password: string, gw = 0): Promise<string> {
  const body = await retrying(
    () => api.request(gw, 'POST', '/v1/auth/login', { json: { username, password } }),
    [200],
    `login ${username}`,
  );
  return body.accessToken as string;
}

export interface FreshUser {
  username: string;
  userId: string;
  /** Each registration makes a group of its own. */
  groupId: string;
}

/** Registers users who have never logged in (their first login is part of the load). */
export async function registerUsers(api: GatewayClient, usernames: string[]): Promise<FreshUser[]> {
  return mapLimit(usernames, SEED_CONCURRENCY, async (username, i) => {
    const reply = await api.request(i % api.count, 'POST', '/v1/auth/register', {
      json: { username, password: PASSWORD, email: `${username}@drills.example.com` },
    });
    const body = expectStatus(reply, [201], `register ${username}`);
    return { username, userId: body.userId as string, groupId: body.groupId as string };
  });
}

export async function seedWorld(
  api: GatewayClient,
  options: {
    runId: string;
    admin: { username: string; password: string };
    receiverUrl: string;
    members: number;
    startingPoints: number;
  },
): Promise<World> {
  const { runId } = options;
  const adminToken = await login(api, options.admin.username, options.admin.password);
  const asAdmin = (method: string, path: string, json?: unknown) =>
    api.request(0, method, path, { token: adminToken, json });

  const client = expectStatus(
    await asAdmin('POST', '/v1/admin/api-clients', {
      name: `drills ${runId} till`,
      scopes: ['purchases:write', 'members:read'],
    }),
    [201],
    'create the till (API client)',
  );
  const grant = await retrying(
    () =>
      api.request(0, 'POST', '/v1/oauth/token', {
        form: { grant_type: 'client_credentials' },
        basic: { user: client.clientId, password: client.clientSecret },
      }),
    [200],
    "the till's token",
  );
  const webhook = expectStatus(
    await asAdmin('POST', '/v1/admin/webhooks', { url: options.receiverUrl, events: WEBHOOK_EVENTS }),
    [201],
    'create the webhook endpoint',
  );

  const registered = await registerUsers(
    api,
    Array.from({ length: options.members }, (_, i) => `m.${runId}.${i}`),
  );
  const members = await mapLimit(registered, SEED_CONCURRENCY, async (user, i) => {
    const member: Member = { ...user, token: await login(api, user.username, PASSWORD, i % api.count) };
    return member;
  });

  const till = { clientId: client.clientId as string, token: grant.access_token as string };
  const funding = await mapLimit(members, SEED_CONCURRENCY, async (member, i) => {
    const purchaseId = `${runId}.fund.${i}`;
    const startedAt = Date.now();
    const body = await retrying(
      () =>
        api.request(i % api.count, 'POST', '/v1/purchases', {
          token: till.token,
          json: { purchaseId, userId: member.userId, amount: `${options.startingPoints}.00` },
        }),
      [200, 201],
      `fund ${member.username}`,
    );
    const record: OpRecord = {
      kind: 'purchase',
      id: purchaseId,
      groupId: member.groupId,
      userId: member.userId,
      startedAt,
      endedAt: Date.now(),
      attempts: [],
      outcome: 'ok',
      result: body,
    };
    return record;
  });
  return {
    runId,
    adminToken,
    till,
    members,
    webhook: { webhookId: webhook.webhookId, secret: webhook.secret },
    funding,
  };
}

export async function seedDrill(
  api: GatewayClient,
  world: World,
  options: { tag: string; freshUsers: number; voucherLimit: number; assignments: number },
): Promise<DrillSeed> {
  const { tag } = options;
  const asAdmin = (method: string, path: string, json?: unknown) =>
    api.request(0, method, path, { token: world.adminToken, json });
  const freshUsers = await registerUsers(
    api,
    Array.from({ length: options.freshUsers }, (_, i) => `f.${world.runId}.${tag}.${i}`),
  );

  const bookCount = Math.ceil(options.assignments / world.members.length);
  const books: string[] = [];
  for (let b = 0; b < bookCount; b++) {
    const book = expectStatus(
      await asAdmin('POST', '/v1/admin/coupon-books', {
        name: `drills ${world.runId} ${tag} ${b}`,
        maxCodesPerUser: 1,
      }),
      [201],
      'create a coupon book',
    );
    // A few more codes than members: NO_CODES_AVAILABLE would be a seeding mistake, not a finding.
    const codes = Array.from({ length: world.members.length + 5 }, (_, i) =>
      `${world.runId}-${tag}-${b}-${i}`.toUpperCase(),
    );
    expectStatus(
      await asAdmin('POST', `/v1/admin/coupon-books/${book.couponBookId}/codes`, { codes }),
      [200],
      'upload codes',
    );
    books.push(book.couponBookId);
  }

  const campaign = expectStatus(
    await asAdmin('POST', '/v1/admin/campaigns', {
      name: `drills ${world.runId} ${tag}`,
      discountPercent: 10,
      voucherLimit: options.voucherLimit,
      trigger: 'FIRST_LOGIN',
    }),
    [201],
    'create the FIRST_LOGIN campaign',
  );
  return { tag, campaignId: campaign.campaignId, voucherLimit: options.voucherLimit, freshUsers, books };
}

/** Only one FIRST_LOGIN campaign may be active: each drill ends its own. */
export async function endCampaign(api: GatewayClient, world: World, campaignId: string): Promise<void> {
  await retrying(
    () =>
      api.request(0, 'PATCH', `/v1/admin/campaigns/${campaignId}`, {
        token: world.adminToken,
        json: { status: 'ENDED' },
      }),
    [200],
    'end the campaign',
  );
}
