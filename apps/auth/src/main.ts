import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { AuthModule } from './auth.module';

const config = () => readPlatformConfig('auth');
runMain(
  'auth',
  () => AuthModule.register(config()),
  () => config().port,
  { rpcService: 'auth' },
);
