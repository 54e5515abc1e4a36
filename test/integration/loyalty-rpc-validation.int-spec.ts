import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { RPC } from '@lib/contracts';
import { RpcClient, Topology } from '@lib/messaging';
import { TestIsolation } from '@lib/testing';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { apiClientOverRpc, type RpcApiClient } from '../support/loyalty/api-clients-over-rpc';
import {
  AsCaller,
  envelopeCases,
  itRefusesEveryMalformedRequest,
  pageQueryCases,
  RpcCase,
  unexpectedPartCases,
} from '../support/rpc-validation';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

/** Every loyalty pattern but ping (which takes nothing and belongs to the runtime). */
const PATTERNS: string[] = Object.values(RPC.loyalty).filter((p) => p !== RPC.loyalty.ping);

/**
 * Whatever reaches loyalty's RPC queue (a bug upstream, or anyone with broker credentials) is
 * checked with the gateway's own DTOs before any use case runs: every pattern that takes input,
 * sent malformed straight to this file's `rpc.loyalty` queue with a valid token, answers
 * VALIDATION_FAILED, and not one document in loyalty's database changes.
 */
describe('loyalty RPCs refuse malformed payloads off the queue and write nothing', () => {
  const iso = new TestIsolation('loyalty-rpc-validation');
  let stack: PlatformStack;
  let rpc: RpcClient;
  let db: mongoose.Connection;
  let memberToken: string;
  let adminToken: string;
  let groupId: string;
  let userId: string;
  /** An API client with every ledger scope: purchases, redemptions at a till, members' points. */
  let till: RpcApiClient;

  const asMember = (rest: object) => ({ caller: { accessToken: memberToken }, ...rest });
  const asAdmin = (rest: object) => ({ caller: { accessToken: adminToken }, ...rest });
  const asTill: AsCaller = (rest) => till.as(rest);
  const group = () => ({ groupId });
  const memberParams = () => ({ userId });

  beforeAll(async () => {
    stack = await startPlatformStack(iso, { services: ['loyalty'], authEnv: ADMIN_ENV });
    rpc = stack.gateway.get(RpcClient);
    expect(stack.gateway.get(Topology).rpcQueue('loyalty')).toBe(`${iso.namePrefix}rpc.loyalty`);
    const m = await member(stack.http);
    memberToken = m.accessToken;
    groupId = m.groupId;
    userId = m.userId;
    adminToken = (await admin(stack.http)).accessToken;
    till = await apiClientOverRpc(rpc, adminToken, ['purchases:write', 'redemptions:write', 'members:read']);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'loyalty') })
      .asPromise();
    // Something in every ledger collection, so that "nothing written" is a real comparison.
    await rpc.send(
      'loyalty',
      RPC.loyalty.createPurchase,
      asTill({ body: { purchaseId: 'seed', userId, amount: '5.00' } }),
    );
    await rpc.send(
      'loyalty',
      RPC.loyalty.createPayerTransaction,
      asAdmin({
        params: { groupId },
        body: { transactionId: 'seed', payer: 'ACME', points: 5, reason: 'seed' },
      }),
    );
    await rpc.send(
      'loyalty',
      RPC.loyalty.createRedemption,
      asMember({ body: { redemptionId: 'seed', points: 1 } }),
    );
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const badGroup = (wrap: AsCaller, rest: object): RpcCase[] => [
    ['no params', wrap(rest), 'groupId'],
    ['a groupId that is not a UUID', wrap({ ...rest, params: { groupId: 'nope' } }), 'groupId'],
    ['a groupId that is a number', wrap({ ...rest, params: { groupId: 42 } }), 'groupId'],
    ['an unknown params field', wrap({ ...rest, params: { groupId, userId: 'x' } }), 'userId'],
  ];

  // Built when a test runs: the member exists only after beforeAll.
  const purchase = () => ({ purchaseId: 'p-1', userId, amount: '12.50' });
  const redemption = { redemptionId: 'r-1', points: 1 };
  const transaction = { transactionId: 't-1', payer: 'ACME', points: 5, reason: 'test' };
  const refund = { refundId: 'rf-1', amount: '1.00' };
  const seedPurchase = { purchaseId: 'seed' };
  const reversal = { reason: 'cancelled' };
  const seedRedemption = { redemptionId: 'seed' };
  const policy = { pendingDays: 0, expiryDays: null, expiryWarningDays: 30 };
  const tiers = { qualifyingDays: 365, tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1' }] };

  // Built when a test runs: the tokens and the group exist only after beforeAll.
  const cases = (): Record<string, RpcCase[]> => ({
    [RPC.loyalty.createPurchase]: [
      ...envelopeCases(() => asTill({ body: purchase() })),
      ['no body', asTill({}), 'purchaseId'],
      ['a body that is not an object', asTill({ body: 'purchase' }), 'body'],
      ['an array body', asTill({ body: [purchase()] }), 'body'],
      ['a number amount', asTill({ body: { ...purchase(), amount: 12.5 } }), 'amount'],
      ['a missing purchaseId', asTill({ body: { userId, amount: '1.00' } }), 'purchaseId'],
      ['a missing userId', asTill({ body: { purchaseId: 'p-1', amount: '1.00' } }), 'userId'],
      ['a userId that is not a UUID', asTill({ body: { ...purchase(), userId: 'me' } }), 'userId'],
      ['an unknown body field', asTill({ body: { ...purchase(), groupId: randomUUID() } }), 'groupId'],
      ['a null payer', asTill({ body: { ...purchase(), payer: null } }), 'payer'],
      ['a lower-case currency', asTill({ body: { ...purchase(), currency: 'usd' } }), 'currency'],
      ...unexpectedPartCases(asTill, { body: purchase() }, ['query', 'params']),
    ],
    [RPC.loyalty.createRedemption]: [
      ...envelopeCases(() => asMember({ body: redemption })),
      ['points as a string', asMember({ body: { ...redemption, points: '1' } }), 'points'],
      ['0 points', asMember({ body: { ...redemption, points: 0 } }), 'points'],
      ['fractional points', asMember({ body: { ...redemption, points: 1.5 } }), 'points'],
      ['a missing redemptionId', asMember({ body: { points: 1 } }), 'redemptionId'],
      ['an unknown body field', asMember({ body: { ...redemption, payer: 'ACME' } }), 'payer'],
      ['a userId that is not a UUID', asTill({ body: { ...redemption, userId: 42 } }), 'userId'],
      ...unexpectedPartCases(asMember, { body: redemption }, ['query', 'params']),
    ],
    [RPC.loyalty.memberPoints]: [
      ...envelopeCases(() => asTill({ params: memberParams() })),
      ['no params', asTill({}), 'userId'],
      ['a userId that is not a UUID', asTill({ params: { userId: 'nope' } }), 'userId'],
      ['a userId that is a number', asTill({ params: { userId: 42 } }), 'userId'],
      ['an unknown params field', asTill({ params: { ...memberParams(), groupId } }), 'groupId'],
      ...unexpectedPartCases(asTill, { params: memberParams() }, ['body', 'query']),
    ],
    [RPC.loyalty.createPayerTransaction]: [
      ...envelopeCases(() => asAdmin({ params: group(), body: transaction })),
      ...badGroup(asAdmin, { body: transaction }),
      ['0 points', asAdmin({ params: group(), body: { ...transaction, points: 0 } }), 'points'],
      ['points as a string', asAdmin({ params: group(), body: { ...transaction, points: '5' } }), 'points'],
      [
        'a missing reason',
        asAdmin({ params: group(), body: { ...transaction, reason: undefined } }),
        'reason',
      ],
      ['a lower-case payer', asAdmin({ params: group(), body: { ...transaction, payer: 'acme' } }), 'payer'],
      [
        'a timestamp that is not a date',
        asAdmin({ params: group(), body: { ...transaction, timestamp: 'soon' } }),
        'timestamp',
      ],
      [
        'an unknown body field',
        asAdmin({ params: group(), body: { ...transaction, actorId: 'x' } }),
        'actorId',
      ],
      ['a body that is not an object', asAdmin({ params: group(), body: 5 }), 'body'],
      ...unexpectedPartCases(asAdmin, { params: group(), body: transaction }, ['query']),
    ],
    [RPC.loyalty.listPurchases]: [
      ...envelopeCases(() => asMember({})),
      ...pageQueryCases(asMember, {}),
      ...unexpectedPartCases(asMember, {}, ['body', 'params']),
    ],
    [RPC.loyalty.pointsHistory]: [
      ...envelopeCases(() => asMember({})),
      ...pageQueryCases(asMember, {}),
      ...unexpectedPartCases(asMember, {}, ['body', 'params']),
    ],
    [RPC.loyalty.groupPoints]: [
      ...envelopeCases(() => asMember({})),
      ...unexpectedPartCases(asMember, {}, ['body', 'query', 'params']),
      ['a group named in the body', asMember({ body: { groupId: randomUUID() } }), 'groupId'],
    ],
    [RPC.loyalty.adminGroupPoints]: [
      ...envelopeCases(() => asAdmin({ params: group() })),
      ...badGroup(asAdmin, {}),
      ...unexpectedPartCases(asAdmin, { params: group() }, ['body', 'query']),
    ],
    [RPC.loyalty.adminPointsHistory]: [
      ...envelopeCases(() => asAdmin({ params: group() })),
      ...badGroup(asAdmin, {}),
      ...pageQueryCases(asAdmin, { params: group() }),
      ...unexpectedPartCases(asAdmin, { params: group() }, ['body']),
    ],
    [RPC.loyalty.refundPurchase]: [
      ...envelopeCases(() => asTill({ params: seedPurchase, body: refund })),
      ['no params', asTill({ body: refund }), 'purchaseId'],
      ['a purchaseId with a space', asTill({ params: { purchaseId: 'a b' }, body: refund }), 'purchaseId'],
      ['no body', asTill({ params: seedPurchase }), 'refundId'],
      ['a number amount', asTill({ params: seedPurchase, body: { ...refund, amount: 1 } }), 'amount'],
      ['a negative amount', asTill({ params: seedPurchase, body: { ...refund, amount: '-1.00' } }), 'amount'],
      ['an amount of 0', asTill({ params: seedPurchase, body: { ...refund, amount: '0' } }), 'amount'],
      ['too many decimals', asTill({ params: seedPurchase, body: { ...refund, amount: '0.001' } }), 'amount'],
      ['a missing refundId', asTill({ params: seedPurchase, body: { amount: '1.00' } }), 'refundId'],
      ['an unknown body field', asTill({ params: seedPurchase, body: { ...refund, points: 5 } }), 'points'],
      ...unexpectedPartCases(asTill, { params: seedPurchase, body: refund }, ['query']),
    ],
    [RPC.loyalty.reverseRedemption]: [
      ...envelopeCases(() => asAdmin({ params: seedRedemption, body: reversal })),
      ['no params', asAdmin({ body: reversal }), 'redemptionId'],
      [
        'a redemptionId too long',
        asAdmin({ params: { redemptionId: 'x'.repeat(65) }, body: reversal }),
        'redemptionId',
      ],
      ['no body', asAdmin({ params: seedRedemption }), 'reason'],
      ['an empty reason', asAdmin({ params: seedRedemption, body: { reason: '' } }), 'reason'],
      ['a reason that is a number', asAdmin({ params: seedRedemption, body: { reason: 5 } }), 'reason'],
      [
        'an unknown body field',
        asAdmin({ params: seedRedemption, body: { ...reversal, points: 1 } }),
        'points',
      ],
      ...unexpectedPartCases(asAdmin, { params: seedRedemption, body: reversal }, ['query']),
    ],
    [RPC.loyalty.getPointsPolicy]: [
      ...envelopeCases(() => asAdmin({})),
      ...unexpectedPartCases(asAdmin, {}, ['body', 'query', 'params']),
    ],
    [RPC.loyalty.updatePointsPolicy]: [
      ...envelopeCases(() => asAdmin({ body: policy })),
      ['no body', asAdmin({}), 'pendingDays'],
      ['pendingDays 366', asAdmin({ body: { ...policy, pendingDays: 366 } }), 'pendingDays'],
      ['pendingDays -1', asAdmin({ body: { ...policy, pendingDays: -1 } }), 'pendingDays'],
      ['expiryDays 0', asAdmin({ body: { ...policy, expiryDays: 0 } }), 'expiryDays'],
      ['expiryDays as a string', asAdmin({ body: { ...policy, expiryDays: '30' } }), 'expiryDays'],
      ['expiryDays left out', asAdmin({ body: { pendingDays: 0, expiryWarningDays: 30 } }), 'expiryDays'],
      [
        'expiryDays not after pendingDays',
        asAdmin({ body: { ...policy, pendingDays: 10, expiryDays: 10 } }),
        'expiryDays',
      ],
      ['expiryWarningDays 0', asAdmin({ body: { ...policy, expiryWarningDays: 0 } }), 'expiryWarningDays'],
      ['an unknown body field', asAdmin({ body: { ...policy, earnRate: '2' } }), 'earnRate'],
      ...unexpectedPartCases(asAdmin, { body: policy }, ['query', 'params']),
    ],
    [RPC.loyalty.getTiers]: [
      ...envelopeCases(() => asAdmin({})),
      ...unexpectedPartCases(asAdmin, {}, ['body', 'query', 'params']),
    ],
    [RPC.loyalty.updateTiers]: [
      ...envelopeCases(() => asAdmin({ body: tiers })),
      ['no body', asAdmin({}), 'qualifyingDays'],
      ['qualifyingDays 0', asAdmin({ body: { ...tiers, qualifyingDays: 0 } }), 'qualifyingDays'],
      ['no tiers', asAdmin({ body: { ...tiers, tiers: [] } }), 'tiers'],
      [
        'a multiplier of 11',
        asAdmin({ body: { ...tiers, tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '11' }] } }),
        'tiers.0.earnMultiplier',
      ],
      [
        'a first tier above 0',
        asAdmin({ body: { ...tiers, tiers: [{ name: 'Standard', minPoints: 5, earnMultiplier: '1' }] } }),
        'tiers.0.minPoints',
      ],
      [
        'tiers out of order',
        asAdmin({
          body: {
            ...tiers,
            tiers: [
              { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
              { name: 'Gold', minPoints: 500, earnMultiplier: '2' },
              { name: 'Silver', minPoints: 100, earnMultiplier: '1.5' },
            ],
          },
        }),
        'tiers.2.minPoints',
      ],
      [
        'two tiers with one name',
        asAdmin({
          body: {
            ...tiers,
            tiers: [
              { name: 'Standard', minPoints: 0, earnMultiplier: '1' },
              { name: 'standard', minPoints: 100, earnMultiplier: '2' },
            ],
          },
        }),
        'tiers.1.name',
      ],
      [
        'an unknown tier field',
        asAdmin({
          body: { ...tiers, tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: '1', color: 'red' }] },
        }),
        'tiers.0.color',
      ],
      ...unexpectedPartCases(asAdmin, { body: tiers }, ['query', 'params']),
    ],
    [RPC.loyalty.pointsByDay]: [
      ...envelopeCases(() => asAdmin({ body: { days: 7 } })),
      ...[0, 91, 1.5, '7', null].map((days): RpcCase => [
        `days ${days}`,
        asAdmin({ body: { days } }),
        'days',
      ]),
      ['no body', asAdmin({}), 'days'],
      ['an unknown body field', asAdmin({ body: { days: 7, groupId: randomUUID() } }), 'groupId'],
      ...unexpectedPartCases(asAdmin, { body: { days: 7 } }, ['query', 'params']),
    ],
  });

  itRefusesEveryMalformedRequest('loyalty', PATTERNS, () => ({ rpc, db, cases: cases() }));
});
