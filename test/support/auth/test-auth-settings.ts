import { AuthSettings, readAuthSettings } from '../../../apps/auth/src/auth.settings';
import { generateSigningKeyPem } from '../../../apps/auth/src/keys/generate-signing-key/generate-signing-key';

let signingKey: string | undefined;

/** Auth settings for tests: a signing key generated once per test process, plus any overrides. */
export function testAuthSettings(env: NodeJS.ProcessEnv = {}): AuthSettings {
  signingKey ??= generateSigningKeyPem();
  // Test files register and invite far more than a person would: a file tests these limits by
  // setting them itself.
  return readAuthSettings({
    JWT_PRIVATE_KEY: signingKey,
    RATE_LIMIT_REGISTRATIONS_PER_IP_PER_HOUR: '1000000',
    RATE_LIMIT_INVITES_PER_USER_PER_DAY: '1000000',
    ...env,
  });
}
