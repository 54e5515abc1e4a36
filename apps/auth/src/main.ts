import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { AuthModule } from './auth.module';
import { readAuthSettings } from './auth.settings';
import { generateSigningKeyFile } from './keys/generate-signing-key/generate-signing-key';

if (process.argv[2] === 'keygen') {
  // `keygen <dir>`: docker compose and first-time setups make a signing key without openssl.
  const { path, created } = generateSigningKeyFile(process.argv[3] ?? '.keys');
  process.stdout.write(`${created ? 'generated' : 'kept existing'} RS256 signing key: ${path}\n`);
} else {
  const config = () => readPlatformConfig('auth');
  runMain(
    'auth',
    () => AuthModule.register(config(), readAuthSettings()),
    () => config().port,
    { rpcService: 'auth', migrationModule: () => AuthModule.migrations(config()) },
  );
}
