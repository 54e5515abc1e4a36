import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { PromotionModule } from './promotion.module';

const config = () => readPlatformConfig('promotion');
runMain(
  'promotion',
  () => PromotionModule.register(config()),
  () => config().port,
  { rpcService: 'promotion', migrationModule: () => PromotionModule.migrations(config()) },
);
