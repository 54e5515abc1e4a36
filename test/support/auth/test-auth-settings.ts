import { AuthSettings, readAuthSettings } from '../../../apps/auth/src/auth.settings';
import { generateSigningKeyPem } from '../../../apps/auth/src/keys/generate-signing-key/generate-signing-key';

let signingKey: string | undefined;

/** Auth settings for tests: a signing key generated once per test process, plus any overrides. */
export function testAuthSettings(env: NodeJS.ProcessEnv = {}): AuthSettings {
  signingKey ??= generateSigningKeyPem();
  return readAuthSettings({ JWT_PRIVATE_KEY: signingKey, ...env });
}
