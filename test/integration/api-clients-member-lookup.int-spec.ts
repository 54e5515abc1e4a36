import { RPC, type ApiClientScope, type MemberLookupDto } from '@lib/contracts';
import { TestIsolation } from '@lib/testing';
import { createApiClient, issueClientToken, refusal } from '../support/auth/api-client-rpc';
import {
  AuthService,
  PersonCaller,
  rpcAdmin,
  rpcMember,
  startAuthService,
} from '../support/auth/auth-service';

const NOBODY = '00000000-0000-4000-8000-000000000000';

/**
 * What auth answers the services about members when an API client acts for one: the member's
 * group (`RPC.auth.lookupMember`, for clients whose scope names members, and admins), and whether
 * a group exists (`RPC.auth.groupExists`, for admins and payer-transaction clients). Real auth,
 * MongoDB and RabbitMQ; the callers' tokens are verified again by auth.
 */
describe('member look-up and group checks for API clients (real auth, MongoDB, RabbitMQ)', () => {
  const iso = new TestIsolation('member-lookup');
  let auth: AuthService;
  let boss: PersonCaller;
  let someone: PersonCaller;

  beforeAll(async () => {
    auth = await startAuthService(iso);
    boss = await rpcAdmin(auth.rpc);
    someone = await rpcMember(auth.rpc);
  });

  afterAll(async () => {
    await auth?.close();
    await iso.cleanup();
  });

  const clientToken = async (scopes: ApiClientScope[]) => {
    const client = await createApiClient(auth.rpc, boss, scopes);
    return (await issueClientToken(auth.rpc, client.clientId, client.clientSecret)).access_token;
  };
  const lookUp = (accessToken: string | undefined, userId: string) =>
    auth.rpc.send<MemberLookupDto>('auth', RPC.auth.lookupMember, {
      caller: accessToken ? { accessToken } : undefined,
      params: { userId },
    });
  const groupExists = (accessToken: string, groupId: string) =>
    auth.rpc.send('auth', RPC.auth.groupExists, { caller: { accessToken }, params: { groupId } });

  it.each<[string, ApiClientScope[]]>([
    ['purchases:write', ['purchases:write']],
    ['redemptions:write', ['redemptions:write']],
    ['vouchers:redeem', ['vouchers:redeem']],
    ['members:read', ['members:read']],
    ['one of several', ['payer-transactions:write', 'members:read']],
  ])('a client with %s gets an active member’s userId and groupId', async (_label, scopes) => {
    await expect(lookUp(await clientToken(scopes), someone.userId)).resolves.toEqual({
      userId: someone.userId,
      groupId: someone.groupId,
    });
  });

  it('an admin may look a member up too', async () => {
    await expect(lookUp(boss.accessToken, someone.userId)).resolves.toEqual({
      userId: someone.userId,
      groupId: someone.groupId,
    });
  });

  it('a member, a client without a scope that names members, and no token are refused', async () => {
    expect((await refusal(lookUp(someone.accessToken, someone.userId))).code).toBe('FORBIDDEN');
    const payerFeed = await clientToken(['payer-transactions:write']);
    expect((await refusal(lookUp(payerFeed, someone.userId))).code).toBe('FORBIDDEN');
    expect((await refusal(lookUp(undefined, someone.userId))).code).toBe('UNAUTHENTICATED');
    expect((await refusal(lookUp('not-a-token', someone.userId))).code).toBe('UNAUTHENTICATED');
  });

  it('an unknown member and a disabled one are both UNKNOWN_MEMBER naming userId; re-enabled, the member is found again', async () => {
    const till = await clientToken(['purchases:write']);
    const unknown = await refusal(lookUp(till, NOBODY));
    expect(unknown).toMatchObject({
      code: 'UNKNOWN_MEMBER',
      errors: [{ field: 'userId', message: 'must be an active member' }],
    });

    const gone = await rpcMember(auth.rpc);
    const patch = (status: string) =>
      auth.rpc.send('auth', RPC.auth.updateUser, {
        caller: boss.caller,
        params: { userId: gone.userId },
        body: { status },
      });
    await patch('DISABLED');
    const disabled = await refusal(lookUp(till, gone.userId));
    expect({ code: disabled.code, message: disabled.message, errors: disabled.errors }).toEqual({
      code: unknown.code,
      message: unknown.message,
      errors: unknown.errors,
    });
    await patch('ACTIVE');
    await expect(lookUp(till, gone.userId)).resolves.toEqual({ userId: gone.userId, groupId: gone.groupId });
  });

  it('a userId that is not a UUID is VALIDATION_FAILED naming userId', async () => {
    const till = await clientToken(['purchases:write']);
    const err = await refusal(lookUp(till, 'member-7'));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.errors?.map((e) => e.field)).toEqual(['userId']);
  });

  it('whether a group exists: admins and payer-transaction clients may ask; other clients and members may not', async () => {
    const payerFeed = await clientToken(['payer-transactions:write']);
    await expect(groupExists(payerFeed, someone.groupId)).resolves.toEqual({
      groupId: someone.groupId,
      exists: true,
    });
    await expect(groupExists(payerFeed, NOBODY)).resolves.toEqual({ groupId: NOBODY, exists: false });
    await expect(groupExists(boss.accessToken, someone.groupId)).resolves.toMatchObject({ exists: true });
    const till = await clientToken(['purchases:write', 'members:read']);
    expect((await refusal(groupExists(till, someone.groupId))).code).toBe('FORBIDDEN');
    expect((await refusal(groupExists(someone.accessToken, someone.groupId))).code).toBe('FORBIDDEN');
  });

  it('member RPCs stay for people: a client calling me, myGroup or createInvite is FORBIDDEN', async () => {
    const till = await clientToken(['purchases:write', 'members:read']);
    for (const pattern of [RPC.auth.me, RPC.auth.myGroup, RPC.auth.createInvite]) {
      const err = await refusal(auth.rpc.send('auth', pattern, { caller: { accessToken: till } }));
      expect({ pattern, code: err.code }).toEqual({ pattern, code: 'FORBIDDEN' });
    }
  });
});
