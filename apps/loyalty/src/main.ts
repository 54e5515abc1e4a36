import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { LoyaltyModule } from './loyalty.module';

const config = () => readPlatformConfig('loyalty');
runMain(
  'loyalty',
  () => LoyaltyModule.register(config()),
  () => config().port,
  { rpcService: 'loyalty', migrationModule: () => LoyaltyModule.migrations(config()) },
);
