import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

const config = () => readPlatformConfig('gateway', { mongo: false });
runMain(
  'gateway',
  () => GatewayModule.register(config()),
  () => config().port,
  {
    configure: (app) => configureGateway(app, config()),
  },
);
