import type { AuthenticatedUser } from './authenticated-user';
import { assertAccess, client } from './access';

const person = (roles: AuthenticatedUser['roles']): AuthenticatedUser => ({
  userId: 'u-1',
  groupId: 'g-1',
  roles,
  scopes: [],
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 0,
});
const till: AuthenticatedUser = {
  userId: 'c-1',
  groupId: '',
  roles: ['client'],
  scopes: ['purchases:write', 'members:read'],
  clientId: 'c-1',
  tokenId: 't',
  issuedAt: 0,
  expiresAt: 0,
};
const refusal = (caller: AuthenticatedUser, access: Parameters<typeof assertAccess>[1]) => {
  try {
    assertAccess(caller, access);
    return undefined;
  } catch (err) {
    return err as { code: string; message: string };
  }
};

describe('who may call a route (assertAccess)', () => {
  it('lets any person, and no API client, use a route that names nobody', () => {
    expect(refusal(person(['member']), [])).toBeUndefined();
    expect(refusal(person(['admin']), [])).toBeUndefined();
    expect(refusal(till, [])).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/people/) });
  });

  it('keeps admin routes to admins, clients included', () => {
    expect(refusal(person(['admin']), ['admin'])).toBeUndefined();
    expect(refusal(person(['member']), ['admin'])).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(till, ['admin'])).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets a client in only with a scope the route names, and keeps people out of client-only routes', () => {
    expect(refusal(till, [client('purchases:write')])).toBeUndefined();
    expect(refusal(till, [client('redemptions:write')])).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/redemptions:write scope/),
    });
    expect(refusal(person(['member']), [client('purchases:write')])).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/API clients with the purchases:write scope/),
    });
    expect(refusal(person(['admin']), [client('purchases:write')])).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('mixes people roles and client scopes on one route', () => {
    const access = ['admin', client('payer-transactions:write')] as const;
    expect(refusal(person(['admin']), [...access])).toBeUndefined();
    expect(refusal(person(['member']), [...access])).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal(till, [...access])).toMatchObject({ code: 'FORBIDDEN' });
    expect(refusal({ ...till, scopes: ['payer-transactions:write'] }, [...access])).toBeUndefined();
  });
});
