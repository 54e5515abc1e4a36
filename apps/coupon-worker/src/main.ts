import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { CouponWorkerModule } from './coupon-worker.module';

const config = () => readPlatformConfig('coupon-worker');
runMain(
  'coupon-worker',
  () => CouponWorkerModule.register(config()),
  () => config().port,
  { migrationModule: () => CouponWorkerModule.migrations(config()) },
);
