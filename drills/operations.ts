import type { GatewayClient, Reply } from './gateway-client';
import { usualVerdict, type Attempt, type Operation, type Stream, type Verdict } from './open-loop-load';
import type { Profile } from './profile';
import { PASSWORD, type DrillSeed, type World } from './seed';

/** A lost answer: the request may or may not have been applied. */
const ambiguous = (a: Attempt) => a.status === 0 || a.status >= 500;

/**
 * An assignment has no business id of its own; with maxCodesPerUser 1, (member, book) is one:
 * MAX_CODES_PER_USER after an attempt whose answer was lost means that attempt got the code.
 */
export function assignmentVerdict(reply: Reply, earlier: readonly Attempt[]): Verdict {
  if (reply.status === 422 && reply.code === 'MAX_CODES_PER_USER' && earlier.some(ambiguous)) return 'ok';
  return usualVerdict(reply);
}

/** The four arrival streams of one drill, over the world's members and the drill's seed. */
export function drillStreams(api: GatewayClient, world: World, seed: DrillSeed, profile: Profile): Stream[] {
  const { members, till } = world;
  const id = (kind: string, n: number) => `${world.runId}.${seed.tag}.${kind}${n}`;
  const counter = () => {
    let n = 0;
    return () => n++;
  };

  const nextPurchase = counter();
  const purchases: Stream = {
    kind: 'purchase',
    perSecond: profile.rates.purchase,
    next(): Operation {
      const n = nextPurchase();
      const member = members[n % members.length];
      const json = {
        purchaseId: id('p', n),
        userId: member.userId,
        amount: `${5 + (n % 20)}.${String(n % 100).padStart(2, '0')}`,
      };
      return {
        kind: 'purchase',
        id: json.purchaseId,
        groupId: member.groupId,
        userId: member.userId,
        send: (gw) => api.request(gw, 'POST', '/v1/purchases', { token: till.token, json }),
        judge: usualVerdict,
      };
    },
  };

  const nextRedemption = counter();
  const redemptions: Stream = {
    kind: 'redemption',
    perSecond: profile.rates.redemption,
    next(): Operation {
      const n = nextRedemption();
      // Another walk over the members than purchases take, so a group sees both at once.
      const member = members[(n * 7 + 3) % members.length];
      const json = { redemptionId: id('r', n), points: 1 + (n % 5) };
      return {
        kind: 'redemption',
        id: json.redemptionId,
        groupId: member.groupId,
        userId: member.userId,
        send: (gw) => api.request(gw, 'POST', '/v1/redemptions', { token: member.token, json }),
        judge: usualVerdict,
      };
    },
  };

  const nextFresh = counter();
  const firstLogins: Stream = {
    kind: 'firstLogin',
    perSecond: profile.rates.firstLogin,
    next(): Operation | undefined {
      const user = seed.freshUsers[nextFresh()];
      if (!user) return undefined;
      const { username, userId } = user;
      return {
        kind: 'firstLogin',
        id: username,
        userId,
        send: (gw) => api.request(gw, 'POST', '/v1/auth/login', { json: { username, password: PASSWORD } }),
        judge: usualVerdict,
      };
    },
  };

  const nextPair = counter();
  const assignments: Stream = {
    kind: 'assignment',
    perSecond: profile.rates.assignment,
    next(): Operation | undefined {
      const n = nextPair();
      const book = seed.books[Math.floor(n / members.length)];
      if (!book) return undefined;
      const member = members[n % members.length];
      return {
        kind: 'assignment',
        id: `${member.userId}:${book}`,
        groupId: member.groupId,
        userId: member.userId,
        send: (gw) =>
          api.request(gw, 'POST', `/v1/coupon-books/${book}/assignments`, { token: member.token }),
        judge: assignmentVerdict,
      };
    },
  };

  return [purchases, redemptions, firstLogins, assignments];
}
