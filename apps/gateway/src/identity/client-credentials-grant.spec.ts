import { DomainError, ErrorCode } from '@lib/errors';
import { readClientCredentialsGrant } from './client-credentials-grant';

const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
const GRANT = { grant_type: 'client_credentials' };

function refusal(form: unknown, authorization?: string, query: unknown = {}): [ErrorCode, string] {
  try {
    readClientCredentialsGrant(form, query, authorization);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return [(err as DomainError).code, (err as DomainError).message];
  }
  throw new Error('the request was accepted');
}

describe('readClientCredentialsGrant (RFC 6749 §4.4, §2.3.1, §3.2)', () => {
  it('takes the credentials from the form', () => {
    expect(
      readClientCredentialsGrant(
        { ...GRANT, client_id: 'c1', client_secret: 's1', scope: 'a b' },
        {},
        undefined,
      ),
    ).toEqual({ clientId: 'c1', clientSecret: 's1', scope: 'a b' });
  });

  it('takes them from HTTP Basic, each form-urlencoded before base64', () => {
    expect(readClientCredentialsGrant(GRANT, {}, basic('c%3A1:s+%2B%25:x'))).toEqual({
      clientId: 'c:1',
      clientSecret: 's +%:x',
    });
    expect(readClientCredentialsGrant(GRANT, {}, `bAsIc  ${basic('c:s').slice(6)}`)).toEqual({
      clientId: 'c',
      clientSecret: 's',
    });
  });

  it('ignores unknown parameters and treats an empty value as omitted', () => {
    expect(
      readClientCredentialsGrant(
        { ...GRANT, scope: '', audience: 'x', foo: ['1', '2'] },
        { q: 1 },
        basic('c:s'),
      ),
    ).toEqual({ clientId: 'c', clientSecret: 's' });
  });

  it('refuses a repeated parameter, a missing grant_type, two ways of authenticating, credentials in the URI', () => {
    expect(refusal({ ...GRANT, scope: ['a', 'b'] }, basic('c:s'))).toEqual([
      'OAUTH_INVALID_REQUEST',
      'scope is repeated: send each parameter at most once',
    ]);
    expect(refusal({ grant_type: ['client_credentials', 'client_credentials'] }, basic('c:s'))[0]).toBe(
      'OAUTH_INVALID_REQUEST',
    );
    expect(refusal({ client_id: 'c', client_secret: 's' })).toEqual([
      'OAUTH_INVALID_REQUEST',
      'grant_type is missing',
    ]);
    expect(refusal({ grant_type: '' }, basic('c:s'))[1]).toBe('grant_type is missing');
    expect(refusal(undefined, basic('c:s'))[1]).toBe('grant_type is missing');
    expect(refusal({ ...GRANT, client_id: 'c' }, basic('c:s'))[0]).toBe('OAUTH_INVALID_REQUEST');
    expect(refusal({ ...GRANT, client_secret: 's' }, basic('c:s'))[0]).toBe('OAUTH_INVALID_REQUEST');
    expect(refusal(GRANT, basic('c:s'), { client_secret: 's' })).toEqual([
      'OAUTH_INVALID_REQUEST',
      'client_secret must be sent in the form body, never in the URI',
    ]);
  });

  it('refuses any grant but client_credentials', () => {
    for (const grant of ['password', 'authorization_code', 'CLIENT_CREDENTIALS', 'client_credentials ']) {
      expect(refusal({ grant_type: grant }, basic('c:s'))[0]).toBe('OAUTH_UNSUPPORTED_GRANT_TYPE');
    }
  });

  it('is invalid_scope for a scope that is not names separated by single spaces (§3.3)', () => {
    for (const scope of ['a  b', ' a', 'a ', 'a\tb', 'a"b', 'a\\b', 'é', 'a'.repeat(1001)]) {
      expect([scope, refusal({ ...GRANT, scope }, basic('c:s'))[0]]).toEqual([scope, 'OAUTH_INVALID_SCOPE']);
    }
    expect(
      readClientCredentialsGrant({ ...GRANT, scope: 'purchases:write members:read' }, {}, basic('c:s')),
    ).toEqual({ clientId: 'c', clientSecret: 's', scope: 'purchases:write members:read' });
  });

  it('is invalid_client without credentials, or with an Authorization header that is not good Basic', () => {
    for (const [form, header] of [
      [GRANT, undefined],
      [{ ...GRANT, client_id: 'c' }, undefined],
      [{ ...GRANT, client_secret: 's' }, undefined],
      [{ ...GRANT, client_id: 'c', client_secret: '' }, undefined],
      [GRANT, 'Bearer abc'],
      [GRANT, 'Basic'],
      [GRANT, 'Basic !!!'],
      [GRANT, basic('no-colon')],
      [GRANT, basic(':s')],
      [GRANT, basic('c:')],
      [GRANT, basic('c%zz:s')],
      [GRANT, basic('c\u0000:s')],
      [GRANT, basic('c:sécret')],
      [{ ...GRANT, client_id: 'c'.repeat(201), client_secret: 's' }, undefined],
    ] as const) {
      expect([form, header, refusal(form, header)[0]]).toEqual([form, header, 'OAUTH_INVALID_CLIENT']);
    }
  });
});
