import 'reflect-metadata';
import { readPlatformConfig } from '@lib/config';
import { runMain } from '@lib/runtime';
import { WebhookDispatcherModule } from './webhook-dispatcher.module';

const config = () => readPlatformConfig('webhook-dispatcher');
runMain(
  'webhook-dispatcher',
  () => WebhookDispatcherModule.register(config()),
  () => config().port,
  { rpcService: 'webhooks', migrationModule: () => WebhookDispatcherModule.migrations(config()) },
);
