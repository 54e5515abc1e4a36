import mongoose from 'mongoose';
import { RPC } from '@lib/contracts';
import { RpcClient, Topology } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { createBook, uploadCodes } from '../support/coupons-client';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import {
  AsCaller,
  envelopeCases,
  itRefusesEveryMalformedRequest,
  pageQueryCases,
  RpcCase,
  unexpectedPartCases,
} from '../support/rpc-validation';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

const P = RPC.promotion;
/** Every promotion pattern but ping (which takes nothing and belongs to the runtime). */
const PATTERNS: string[] = Object.values(P).filter((p) => p !== P.ping);

/**
 * Whatever reaches promotion's RPC queue (a bug upstream, or anyone with broker credentials) is
 * checked with the gateway's own DTOs before any use case runs: every pattern, sent malformed
 * straight to this file's `rpc.promotion` queue with a valid token, answers VALIDATION_FAILED
 * naming the field, and not one document in promotion's database changes. The ids in the
 * requests are real (a campaign, a voucher, a book, a code, a job), so a request that got past
 * validation would write.
 */
describe('promotion RPCs refuse malformed payloads off the queue and write nothing', () => {
  const iso = new TestIsolation('promotion-rpc-validation');
  let stack: PlatformStack;
  let rpc: RpcClient;
  let db: mongoose.Connection;
  let adminToken: string;
  let memberToken: string;
  const ids = { campaignId: '', voucherId: '', couponBookId: '', code: '', jobId: '' };

  const asAdmin: AsCaller = (rest) => ({ caller: { accessToken: adminToken }, ...rest });
  const asMember: AsCaller = (rest) => ({ caller: { accessToken: memberToken }, ...rest });

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER); // so cleanup removes it and its DLQ
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    rpc = stack.gateway.get(RpcClient);
    expect(stack.gateway.get(Topology).rpcQueue('promotion')).toBe(`${iso.namePrefix}rpc.promotion`);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const chief = await admin(stack.http);
    adminToken = chief.accessToken;
    const campaign = await stack
      .http()
      .post('/v1/admin/campaigns')
      .set(chief.auth)
      .send({ name: 'seed', discountPercent: 10, voucherLimit: 10, trigger: 'FIRST_LOGIN' })
      .expect(201);
    ids.campaignId = campaign.body.campaignId;
    // Its first login earns the member a voucher.
    const m = await member(stack.http);
    memberToken = m.accessToken;
    ids.voucherId = await waitFor('the first-login voucher', async () => {
      const res = await stack.http().get('/v1/vouchers/me').set(m.auth);
      return res.body.items?.[0]?.voucherId as string | undefined;
    });
    ids.couponBookId = (await createBook(stack.http, chief.auth)).couponBookId;
    await uploadCodes(stack.http, chief.auth, ids.couponBookId, 5);
    const assigned = await stack
      .http()
      .post(`/v1/coupon-books/${ids.couponBookId}/assignments`)
      .set(m.auth)
      .expect(201);
    ids.code = assigned.body.code;
    const job = await stack
      .http()
      .post(`/v1/admin/coupon-books/${ids.couponBookId}/generation-jobs`)
      .set(chief.auth)
      .send({ count: 10 })
      .expect(202);
    ids.jobId = job.body.jobId;
    // Both first logins (the admin's and the member's) recorded: nothing is still on its way in.
    await waitFor(
      'both first logins to be processed',
      async () =>
        (await db.collection('processed_events').countDocuments({ consumer: FIRST_LOGIN_CONSUMER })) === 2,
    );
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const campaign = { name: 'c', discountPercent: 30, voucherLimit: 5, trigger: 'FIRST_LOGIN' };
  const campaignParams = () => ({ campaignId: ids.campaignId });
  const bookParams = () => ({ couponBookId: ids.couponBookId });
  const codeParams = () => ({ code: ids.code });
  const lockToken = `1.${'a'.repeat(22)}`;

  /** Path parameters broken every way; `rest` is the rest of an otherwise valid request. */
  const badParams = (as: AsCaller, rest: object, name: string, valid: () => object): RpcCase[] => [
    ['no params', as(rest), name],
    [`a ${name} that is a number`, as({ ...rest, params: { [name]: 42 } }), name],
    [`a ${name} with a slash`, as({ ...rest, params: { [name]: 'a/b' } }), name],
    [`an empty ${name}`, as({ ...rest, params: { [name]: '' } }), name],
    ['an unknown params field', as({ ...rest, params: { ...valid(), userId: 'x' } }), 'userId'],
    // Refused, but named `body` by validateDto whatever the part: no field is asserted.
    ['params that are not an object', as({ ...rest, params: 'x' })],
  ];
  /** A pattern that takes nothing but the caller. */
  const nothingTaken = (as: AsCaller): RpcCase[] => [
    ...envelopeCases(() => as({})),
    ...unexpectedPartCases(as, {}, ['body', 'query', 'params']),
  ];

  // Built when a test runs: the tokens and ids exist only after beforeAll.
  const cases = (): Record<string, RpcCase[]> => ({
    [P.createCampaign]: [
      ...envelopeCases(() => asAdmin({ body: campaign })),
      ['no body', asAdmin({}), 'name'],
      ['a body that is not an object', asAdmin({ body: 'campaign' }), 'body'],
      ['an array body', asAdmin({ body: [campaign] }), 'body'],
      ['a percent as a string', asAdmin({ body: { ...campaign, discountPercent: '30' } }), 'discountPercent'],
      ['a percent over 100', asAdmin({ body: { ...campaign, discountPercent: 101 } }), 'discountPercent'],
      ['a fractional limit', asAdmin({ body: { ...campaign, voucherLimit: 2.5 } }), 'voucherLimit'],
      ['an unknown trigger', asAdmin({ body: { ...campaign, trigger: 'SIGNUP' } }), 'trigger'],
      ['a missing name', asAdmin({ body: { ...campaign, name: undefined } }), 'name'],
      ['a null description', asAdmin({ body: { ...campaign, description: null } }), 'description'],
      ['an end that is not a date', asAdmin({ body: { ...campaign, endsAt: 'soon' } }), 'endsAt'],
      ['an unknown body field', asAdmin({ body: { ...campaign, issued: 5 } }), 'issued'],
      ...unexpectedPartCases(asAdmin, { body: campaign }, ['query', 'params']),
    ],
    [P.listCampaigns]: [
      ...envelopeCases(() => asAdmin({})),
      ...pageQueryCases(asAdmin, {}),
      ...unexpectedPartCases(asAdmin, {}, ['body', 'params']),
    ],
    [P.getCampaign]: [
      ...envelopeCases(() => asAdmin({ params: campaignParams() })),
      ...badParams(asAdmin, {}, 'campaignId', campaignParams),
      ...unexpectedPartCases(asAdmin, { params: campaignParams() }, ['body', 'query']),
    ],
    [P.updateCampaignStatus]: [
      ...envelopeCases(() => asAdmin({ params: campaignParams(), body: { status: 'PAUSED' } })),
      ...badParams(asAdmin, { body: { status: 'PAUSED' } }, 'campaignId', campaignParams),
      ['no body', asAdmin({ params: campaignParams() }), 'status'],
      ['an unknown status', asAdmin({ params: campaignParams(), body: { status: 'DELETED' } }), 'status'],
      [
        'an unknown body field',
        asAdmin({ params: campaignParams(), body: { status: 'PAUSED', remaining: 0 } }),
        'remaining',
      ],
    ],
    [P.activeCampaignStats]: nothingTaken(asAdmin),
    [P.myVouchers]: nothingTaken(asMember),
    [P.redeemVoucher]: [
      ...envelopeCases(() => asMember({ params: { voucherId: ids.voucherId }, body: { orderId: 'o-1' } })),
      ...badParams(asMember, { body: { orderId: 'o-1' } }, 'voucherId', () => ({ voucherId: ids.voucherId })),
      ['no body', asMember({ params: { voucherId: ids.voucherId } }), 'orderId'],
      [
        'an empty orderId',
        asMember({ params: { voucherId: ids.voucherId }, body: { orderId: '' } }),
        'orderId',
      ],
      [
        'a number orderId',
        asMember({ params: { voucherId: ids.voucherId }, body: { orderId: 7 } }),
        'orderId',
      ],
      [
        'an unknown body field',
        asMember({ params: { voucherId: ids.voucherId }, body: { orderId: 'o-1', code: 'x' } }),
        'code',
      ],
      [
        'a userId that is not a UUID',
        asMember({ params: { voucherId: ids.voucherId }, body: { orderId: 'o-1', userId: 'x' } }),
        'userId',
      ],
    ],
    [P.createCouponBook]: [
      ...envelopeCases(() => asAdmin({ body: { name: 'b' } })),
      ['no body', asAdmin({}), 'name'],
      ['a number name', asAdmin({ body: { name: 5 } }), 'name'],
      ['a pattern without #', asAdmin({ body: { name: 'b', codePattern: 'SALE' } }), 'codePattern'],
      ['a one-letter charset', asAdmin({ body: { name: 'b', charset: 'A' } }), 'charset'],
      ['a limit of 0', asAdmin({ body: { name: 'b', maxCodesPerUser: 0 } }), 'maxCodesPerUser'],
      ['active as a string', asAdmin({ body: { name: 'b', active: 'yes' } }), 'active'],
      ['an unknown body field', asAdmin({ body: { name: 'b', createdBy: 'x' } }), 'createdBy'],
      ...unexpectedPartCases(asAdmin, { body: { name: 'b' } }, ['query', 'params']),
    ],
    [P.listCouponBooks]: [
      ...envelopeCases(() => asAdmin({})),
      ...pageQueryCases(asAdmin, {}),
      ...unexpectedPartCases(asAdmin, {}, ['body', 'params']),
    ],
    [P.getCouponBook]: [
      ...envelopeCases(() => asAdmin({ params: bookParams() })),
      ...badParams(asAdmin, {}, 'couponBookId', bookParams),
      ...unexpectedPartCases(asAdmin, { params: bookParams() }, ['body', 'query']),
    ],
    [P.updateCouponBook]: [
      ...envelopeCases(() => asAdmin({ params: bookParams(), body: { status: 'INACTIVE' } })),
      ...badParams(asAdmin, { body: { status: 'INACTIVE' } }, 'couponBookId', bookParams),
      ['no body', asAdmin({ params: bookParams() }), 'status'],
      ['an empty body', asAdmin({ params: bookParams(), body: {} }), 'status'],
      ['an unknown status', asAdmin({ params: bookParams(), body: { status: 'PAUSED' } }), 'status'],
      ['a boolean status', asAdmin({ params: bookParams(), body: { status: false } }), 'status'],
      [
        'an unknown body field',
        asAdmin({ params: bookParams(), body: { status: 'INACTIVE', name: 'x' } }),
        'name',
      ],
      ...unexpectedPartCases(asAdmin, { params: bookParams(), body: { status: 'INACTIVE' } }, ['query']),
    ],
    [P.exportCouponCodes]: [
      ...envelopeCases(() => asAdmin({ params: bookParams() })),
      ...badParams(asAdmin, {}, 'couponBookId', bookParams),
      ['an empty after', asAdmin({ params: bookParams(), query: { after: '' } }), 'after'],
      ['a number after', asAdmin({ params: bookParams(), query: { after: 5 } }), 'after'],
      ['a limit of 0', asAdmin({ params: bookParams(), query: { limit: 0 } }), 'limit'],
      ['a limit over 5000', asAdmin({ params: bookParams(), query: { limit: 5001 } }), 'limit'],
      ['an unknown query field', asAdmin({ params: bookParams(), query: { format: 'xls' } }), 'format'],
      ...unexpectedPartCases(asAdmin, { params: bookParams() }, ['body']),
    ],
    [P.uploadCouponCodes]: [
      ...envelopeCases(() => asAdmin({ params: bookParams(), body: { codes: ['NEW-1'] } })),
      ...badParams(asAdmin, { body: { codes: ['NEW-1'] } }, 'couponBookId', bookParams),
      ['no body', asAdmin({ params: bookParams() }), 'codes'],
      ['no codes', asAdmin({ params: bookParams(), body: { codes: [] } }), 'codes'],
      ['a code with a space', asAdmin({ params: bookParams(), body: { codes: ['NEW 1'] } }), 'codes'],
      ['codes as a string', asAdmin({ params: bookParams(), body: { codes: 'NEW-1' } }), 'codes'],
      ['a number code', asAdmin({ params: bookParams(), body: { codes: [1] } }), 'codes'],
    ],
    [P.createGenerationJob]: [
      ...envelopeCases(() => asAdmin({ params: bookParams(), body: { count: 10 } })),
      ...badParams(asAdmin, { body: { count: 10 } }, 'couponBookId', bookParams),
      ['no body', asAdmin({ params: bookParams() }), 'count'],
      ['a count of 0', asAdmin({ params: bookParams(), body: { count: 0 } }), 'count'],
      ['a count as a string', asAdmin({ params: bookParams(), body: { count: '10' } }), 'count'],
      [
        'a pattern without #',
        asAdmin({ params: bookParams(), body: { count: 10, pattern: 'AB' } }),
        'pattern',
      ],
      ['an unknown body field', asAdmin({ params: bookParams(), body: { count: 10, jobId: 'x' } }), 'jobId'],
    ],
    [P.listGenerationJobs]: [
      ...envelopeCases(() => asAdmin({})),
      ...pageQueryCases(asAdmin, {}),
      ['an unknown status', asAdmin({ query: { status: 'DONE' } }), 'status'],
      ['a number couponBookId', asAdmin({ query: { couponBookId: 5 } }), 'couponBookId'],
      ...unexpectedPartCases(asAdmin, {}, ['body', 'params']),
    ],
    [P.getGenerationJob]: [
      ...envelopeCases(() => asAdmin({ params: { jobId: ids.jobId } })),
      ...badParams(asAdmin, {}, 'jobId', () => ({ jobId: ids.jobId })),
      ...unexpectedPartCases(asAdmin, { params: { jobId: ids.jobId } }, ['body', 'query']),
    ],
    [P.runningJobs]: nothingTaken(asAdmin),
    [P.assignCoupon]: [
      ...envelopeCases(() => asMember({ params: bookParams() })),
      ...badParams(asMember, {}, 'couponBookId', bookParams),
      ...unexpectedPartCases(asMember, { params: bookParams() }, ['body', 'query']),
    ],
    [P.myCoupons]: nothingTaken(asMember),
    [P.lockCoupon]: [
      ...envelopeCases(() => asMember({ params: codeParams(), body: { seconds: 60 } })),
      ...badParams(asMember, { body: { seconds: 60 } }, 'code', codeParams),
      ...[0, 901, 1.5, 'long'].map((seconds): RpcCase => [
        `seconds ${seconds}`,
        asMember({ params: codeParams(), body: { seconds } }),
        'seconds',
      ]),
      ['an unknown body field', asMember({ params: codeParams(), body: { fence: 1 } }), 'fence'],
    ],
    [P.releaseCouponLock]: [
      ...envelopeCases(() => asMember({ params: codeParams(), body: { lockToken } })),
      ...badParams(asMember, { body: { lockToken } }, 'code', codeParams),
      ['no body', asMember({ params: codeParams() }), 'lockToken'],
      ['an empty lockToken', asMember({ params: codeParams(), body: { lockToken: '' } }), 'lockToken'],
      ['a number lockToken', asMember({ params: codeParams(), body: { lockToken: 1 } }), 'lockToken'],
      [
        'a lockToken over 200 characters',
        asMember({ params: codeParams(), body: { lockToken: 'a'.repeat(201) } }),
        'lockToken',
      ],
    ],
    [P.redeemCoupon]: [
      ...envelopeCases(() => asMember({ params: codeParams(), body: { lockToken } })),
      ...badParams(asMember, { body: { lockToken } }, 'code', codeParams),
      ['no body', asMember({ params: codeParams() }), 'lockToken'],
      ['a number orderId', asMember({ params: codeParams(), body: { lockToken, orderId: 1 } }), 'orderId'],
      [
        'an unknown body field',
        asMember({ params: codeParams(), body: { lockToken, userId: 'x' } }),
        'userId',
      ],
    ],
  });

  itRefusesEveryMalformedRequest('promotion', PATTERNS, () => ({ rpc, db, cases: cases() }));
});
