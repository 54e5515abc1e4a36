import mongoose from 'mongoose';
import { RPC, type RedeemedVoucherDto } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import { RpcClient } from '@lib/messaging';
import { TestIsolation, waitFor } from '@lib/testing';
import { FIRST_LOGIN_CONSUMER } from '../../apps/promotion/src/campaigns/issue-vouchers/issue-vouchers.consumer';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { apiClientOverRpc, type RpcApiClient } from '../support/loyalty/api-clients-over-rpc';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Member = Awaited<ReturnType<typeof member>>;

/**
 * Voucher redemption at a till, over promotion's own RPC queue with tokens the real auth service
 * issued: the member redeems their own voucher, or an API client with vouchers:redeem names the
 * member who holds it. Someone else's voucher is 404, as if it didn't exist; the orderId rules
 * (same order again is 200, another order 409) hold whoever redeems.
 */
describe('promotion: vouchers redeemed by API clients (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('voucher-clients');
  let stack: PlatformStack;
  let rpc: RpcClient;
  let db: mongoose.Connection;
  let adminToken: string;
  let till: RpcApiClient;
  /** A client, but without vouchers:redeem. */
  let pointsTill: RpcApiClient;

  beforeAll(async () => {
    iso.queue(FIRST_LOGIN_CONSUMER); // so cleanup removes it and its DLQ
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    rpc = stack.gateway.get(RpcClient);
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const chief = await admin(stack.http);
    adminToken = chief.accessToken;
    await rpc.send('promotion', RPC.promotion.createCampaign, {
      caller: { accessToken: adminToken },
      body: { name: 'welcome', discountPercent: 30, voucherLimit: 100, trigger: 'FIRST_LOGIN' },
    });
    till = await apiClientOverRpc(rpc, adminToken, ['vouchers:redeem']);
    pointsTill = await apiClientOverRpc(rpc, adminToken, ['purchases:write', 'redemptions:write']);
  });

  afterAll(async () => {
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  /** A member whose first login earned a voucher, and that voucher's id. */
  const holder = async (): Promise<Member & { voucherId: string }> => {
    const m = await member(stack.http);
    const voucherId = await waitFor('the first-login voucher', async () => {
      const res = await stack.http().get('/v1/vouchers/me').set(m.auth);
      return res.body.items?.[0]?.voucherId as string | undefined;
    });
    return { ...m, voucherId };
  };
  const asPerson = (who: { accessToken: string }) => (rest: object) => ({
    caller: { accessToken: who.accessToken },
    ...rest,
  });
  const redeem = (by: (rest: object) => object, voucherId: string, body: object) =>
    rpc.send<RedeemedVoucherDto>(
      'promotion',
      RPC.promotion.redeemVoucher,
      by({ params: { voucherId }, body }),
    );
  const refusal = (work: Promise<unknown>) =>
    work.then(
      (ok) => {
        throw new Error(`accepted: ${JSON.stringify(ok)}`);
      },
      (err: unknown) => {
        if (!(err instanceof DomainError)) throw err;
        return { code: err.code, fields: err.errors?.map((e) => e.field) ?? [] };
      },
    );
  const stored = (voucherId: string) => db.collection('vouchers').findOne({ _id: voucherId as never });

  it("a till redeems the member's voucher naming the member; the same order again is 200, another is 409", async () => {
    const m = await holder();
    const first = await redeem(till.as, m.voucherId, { orderId: 'till-order-1', userId: m.userId });
    expect(first).toMatchObject({ voucherId: m.voucherId, status: 'REDEEMED', orderId: 'till-order-1' });
    expect(await redeem(till.as, m.voucherId, { orderId: 'till-order-1', userId: m.userId })).toEqual(first);
    expect(
      await refusal(redeem(till.as, m.voucherId, { orderId: 'till-order-2', userId: m.userId })),
    ).toMatchObject({ code: 'VOUCHER_ALREADY_REDEEMED' });
    // The member sees it redeemed, for the till's order.
    expect(await stored(m.voucherId)).toMatchObject({ orderId: 'till-order-1' });
    const mine = await stack.http().get('/v1/vouchers/me').set(m.auth).expect(200);
    expect(mine.body.items[0]).toMatchObject({ voucherId: m.voucherId, status: 'REDEEMED' });
  });

  it("naming another member is 404 NOT_FOUND, as for a voucher that doesn't exist, and redeems nothing", async () => {
    const [m, other] = [await holder(), await holder()];
    expect(
      await refusal(redeem(till.as, m.voucherId, { orderId: 'o-1', userId: other.userId })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await stored(m.voucherId)).toMatchObject({ redeemedAt: null, orderId: null });
    // Still the member's to redeem.
    expect(await redeem(asPerson(m), m.voucherId, { orderId: 'o-2' })).toMatchObject({ status: 'REDEEMED' });
  });

  it('a till naming no member, or a member naming one, is 400 naming userId; nothing is redeemed', async () => {
    const m = await holder();
    for (const [by, body] of [
      [till.as, { orderId: 'o-1' }],
      [asPerson(m), { orderId: 'o-1', userId: m.userId }],
    ] as const) {
      expect(await refusal(redeem(by, m.voucherId, body))).toEqual({
        code: 'VALIDATION_FAILED',
        fields: ['userId'],
      });
    }
    expect(await stored(m.voucherId)).toMatchObject({ redeemedAt: null });
  });

  it('a till naming a disabled or unknown member is 422 UNKNOWN_MEMBER naming userId; nothing is redeemed', async () => {
    const m = await holder();
    await rpc.send('auth', RPC.auth.updateUser, {
      caller: { accessToken: adminToken },
      params: { userId: m.userId },
      body: { status: 'DISABLED' },
    });
    expect(await refusal(redeem(till.as, m.voucherId, { orderId: 'o-1', userId: m.userId }))).toEqual({
      code: 'UNKNOWN_MEMBER',
      fields: ['userId'],
    });
    expect(await stored(m.voucherId)).toMatchObject({ redeemedAt: null, orderId: null });
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(await refusal(redeem(till.as, m.voucherId, { orderId: 'o-2', userId: nobody }))).toEqual({
      code: 'UNKNOWN_MEMBER',
      fields: ['userId'],
    });
  });

  it('a client without vouchers:redeem is 403 FORBIDDEN; the member still redeems their own', async () => {
    const m = await holder();
    expect(
      await refusal(redeem(pointsTill.as, m.voucherId, { orderId: 'o-1', userId: m.userId })),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(await stored(m.voucherId)).toMatchObject({ redeemedAt: null });
    const own = await redeem(asPerson(m), m.voucherId, { orderId: 'o-own' });
    expect(own).toMatchObject({ voucherId: m.voucherId, status: 'REDEEMED', orderId: 'o-own' });
  });

  it('concurrent: a till and the member redeem one voucher for 10 orders each: exactly one order wins', async () => {
    const m = await holder();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? redeem(till.as, m.voucherId, { orderId: `o-${i}`, userId: m.userId })
          : redeem(asPerson(m), m.voucherId, { orderId: `o-${i}` }),
      ),
    );
    const won = results.filter(
      (r): r is PromiseFulfilledResult<RedeemedVoucherDto> => r.status === 'fulfilled',
    );
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as DomainError).code === 'VOUCHER_ALREADY_REDEEMED',
    );
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(19);
    expect(await stored(m.voucherId)).toMatchObject({ orderId: won[0].value.orderId });
    // The campaign counts each voucher redeemed once, whoever redeemed it (this file's so far too).
    const redeemed = await db.collection('vouchers').countDocuments({ redeemedAt: { $ne: null } });
    expect(await db.collection('campaigns').findOne({})).toMatchObject({ redeemed });
  });
});
