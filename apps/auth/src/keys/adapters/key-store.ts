import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { ConfigError } from '@lib/config';
import { JwksSource, type JwtSettings } from '@lib/jwt';
import {
  AccessTokenClaims,
  AccessTokenSigner,
  ClientTokenClaims,
  TokenTiming,
} from '../ports/access-token-signer';

interface PublishedKey {
  kid: string;
  jwk: JWK;
}

/**
 * The signing key and the keys still published for verification. Each `kid` is the key's RFC 7638
 * thumbprint, so it is stable, needs no configuration, and can't collide between keys. To rotate:
 * move the current key to JWT_PREVIOUS_PUBLIC_KEYS and set a new JWT_PRIVATE_KEY; tokens signed
 * with the old key stay valid until they expire. Tokens are signed as `jwt` says (PlatformConfig's
 * issuer and audience, the ones every verifier checks).
 */
export class KeyStore extends JwksSource implements AccessTokenSigner {
  private readonly signingKey: KeyObject;
  readonly signingKid: string;
  private readonly published: PublishedKey[];

  constructor(
    signingKeyPem: string,
    previousKeyPems: string[],
    private readonly jwt: JwtSettings,
  ) {
    super();
    this.signingKey = parsePrivate(signingKeyPem);
    const current = describe(createPublicKey(this.signingKey));
    this.signingKid = current.kid;
    const previous = previousKeyPems.map((pem) => describe(createPublicKey(pem)));
    this.published = [current, ...previous.filter((k) => k.kid !== current.kid)];
  }

  fetch(): Promise<JSONWebKeySet> {
    return Promise.resolve(this.jwks());
  }

  jwks(): JSONWebKeySet {
    return { keys: this.published.map((k) => k.jwk) };
  }

  sign(claims: AccessTokenClaims, timing: TokenTiming): Promise<string> {
    return this.signed(
      new SignJWT({ gid: claims.groupId, roles: claims.roles }),
      claims.userId,
      claims.tokenId,
      timing,
    );
  }

  signClient(claims: ClientTokenClaims, timing: TokenTiming): Promise<string> {
    // `roles: ["client"]` and `client_id` = `sub`, with no `gid`: the shape verifiers accept as an
    // API client's, never as a person's (libs/jwt AccessTokenVerifier).
    const payload = { client_id: claims.clientId, scope: claims.scopes.join(' '), roles: ['client'] };
    return this.signed(new SignJWT(payload), claims.clientId, claims.tokenId, timing);
  }

  private signed(jwt: SignJWT, subject: string, tokenId: string, timing: TokenTiming): Promise<string> {
    const iat = timing.issuedAt ?? Math.floor(Date.now() / 1000);
    return jwt
      .setProtectedHeader({ alg: 'RS256', kid: this.signingKid, typ: 'JWT' })
      .setIssuer(this.jwt.issuer)
      .setAudience(this.jwt.audience)
      .setSubject(subject)
      .setJti(tokenId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + timing.ttlSeconds)
      .sign(this.signingKey);
  }
}

function parsePrivate(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ConfigError(
      `auth: JWT_PRIVATE_KEY is not a readable PEM private key (${(err as Error).message})`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ConfigError('auth: JWT_PRIVATE_KEY must be an RSA key of at least 2048 bits (RS256)');
  }
  return key;
}

function describe(publicKey: KeyObject): PublishedKey {
  const { n, e } = publicKey.export({ format: 'jwk' });
  // RFC 7638: SHA-256 over the required members in lexicographic order, base64url.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return { kid, jwk: { kty: 'RSA', kid, alg: 'RS256', use: 'sig', n, e } };
}
