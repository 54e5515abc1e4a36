import { oauthErrors } from './domain/oauth.errors';

/** A client-credentials token request as auth takes it (IssueClientTokenDto). */
export interface ClientCredentialsGrant {
  clientId: string;
  clientSecret: string;
  /** The space-separated scopes asked for; absent means every scope the client holds. */
  scope?: string;
}

/** The parameters this endpoint reads; any other is ignored (RFC 6749 §3.2). */
const PARAMETERS = ['grant_type', 'scope', 'client_id', 'client_secret'] as const;
type Parameter = (typeof PARAMETERS)[number];
const CREDENTIALS: Parameter[] = ['client_id', 'client_secret'];

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;
/** RFC 6749 Appendix A: ids and secrets are printable ASCII (VSCHAR); none this server issues is longer. */
const CREDENTIAL = /^[\x20-\x7e]{1,200}$/;
/** RFC 6749 §3.3: scope tokens separated by single spaces. */
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/;
const MAX_SCOPE_LENGTH = 1000;
const HOW_TO_AUTHENTICATE =
  'authenticate the client with HTTP Basic, or with client_id and client_secret in the form';

const { invalidRequest, invalidClient } = oauthErrors;

/**
 * Reads a token request (RFC 6749 §4.4.2) from its form body, its query string and its
 * Authorization header, or throws the RFC's error (oauthErrors):
 * - invalid_request: a parameter repeated (§3.2), grant_type missing, the client authenticated in
 *   both ways at once, or credentials in the URI (§2.3.1 allows them only in the body);
 * - unsupported_grant_type: any grant but client_credentials;
 * - invalid_client: no client authentication, an Authorization header that is not well-formed
 *   Basic, or a client id or secret no client can have (§5.2 lists "no client authentication
 *   included" here);
 * - invalid_scope: a scope that is not scope tokens separated by single spaces (§3.3).
 * A parameter sent without a value counts as omitted (§3.1). Whether the client and its scopes
 * are real is auth's to say.
 */
export function readClientCredentialsGrant(
  form: unknown,
  query: unknown,
  authorization: string | undefined,
): ClientCredentialsGrant {
  const params = readParameters(form);
  for (const name of CREDENTIALS) {
    if (hasKey(query, name)) {
      throw invalidRequest(`${name} must be sent in the form body, never in the URI`);
    }
  }
  if (params.grant_type === undefined) throw invalidRequest('grant_type is missing');
  const formCredentials = CREDENTIALS.some((name) => params[name] !== undefined);
  if (authorization !== undefined && formCredentials) {
    throw invalidRequest(
      'the client authenticated twice: use HTTP Basic or client_id and client_secret in the form, not both',
    );
  }
  if (params.grant_type !== 'client_credentials') {
    throw oauthErrors.unsupportedGrantType();
  }
  const { clientId, clientSecret } =
    authorization !== undefined
      ? basicCredentials(authorization)
      : { clientId: params.client_id, clientSecret: params.client_secret };
  if (!clientId || !clientSecret) throw invalidClient(`no client credentials: ${HOW_TO_AUTHENTICATE}`);
  if (!CREDENTIAL.test(clientId) || !CREDENTIAL.test(clientSecret)) {
    throw invalidClient('the client id or secret is not one this server issues');
  }
  if (params.scope !== undefined && (params.scope.length > MAX_SCOPE_LENGTH || !SCOPE.test(params.scope))) {
    throw oauthErrors.invalidScope('scope must be scope names separated by single spaces');
  }
  return { clientId, clientSecret, ...(params.scope !== undefined ? { scope: params.scope } : {}) };
}

/** The known parameters, each once at most; an empty value is no value. */
function readParameters(form: unknown): Partial<Record<Parameter, string>> {
  const params: Partial<Record<Parameter, string>> = {};
  if (form === undefined || form === null) return params;
  if (typeof form !== 'object' || Array.isArray(form)) throw invalidRequest('the body must be a form');
  for (const name of PARAMETERS) {
    if (!hasKey(form, name)) continue;
    const value = (form as Record<string, unknown>)[name];
    if (Array.isArray(value)) throw invalidRequest(`${name} is repeated: send each parameter at most once`);
    if (typeof value !== 'string') throw invalidRequest(`${name} must be text`);
    if (value !== '') params[name] = value;
  }
  return params;
}

/**
 * HTTP Basic credentials as RFC 6749 §2.3.1 has clients send them: the id and the secret each
 * form-urlencoded, joined by a colon, in base64 (RFC 7617). Anything else in the header is a failed
 * client authentication.
 */
function basicCredentials(header: string): { clientId?: string; clientSecret?: string } {
  const encoded = BASIC.exec(header)?.[1];
  if (!encoded) throw invalidClient(`the Authorization header is not HTTP Basic: ${HOW_TO_AUTHENTICATE}`);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('the HTTP Basic credentials have no colon between id and secret');
  return {
    clientId: formDecoded(decoded.slice(0, colon)),
    clientSecret: formDecoded(decoded.slice(colon + 1)),
  };
}

/** application/x-www-form-urlencoded decoding of one value: `+` is a space, then %XX escapes. */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient('the HTTP Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)');
  }
}

function hasKey(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, key);
}
