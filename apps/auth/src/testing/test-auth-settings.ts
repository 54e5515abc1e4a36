import { AuthSettings, readAuthSettings } from '../auth-settings';
import { generateSigningKeyPem } from '../keys/keygen';

let signingKey: string | undefined;

/** Auth settings for tests: a signing key generated once per test process, plus any overrides. */
export function testAuthSettings(env: NodeJS.ProcessEnv = {}): AuthSettings {
  signingKey ??= generateSigningKeyPem();
  return readAuthSettings({ JWT_PRIVATE_KEY: signingKey, ...env });
}
