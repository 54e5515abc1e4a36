import type { AuthSettings } from './auth-settings';

/** The auth service's settings plus the token audience and issuer every verifier checks. */
export class AuthOptions {
  constructor(
    readonly settings: AuthSettings,
    readonly jwt: { issuer: string; audience: string },
  ) {}
}
