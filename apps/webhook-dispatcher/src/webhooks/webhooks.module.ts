import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { WebhookDispatcherSettings, readWebhookDispatcherSettings } from '../webhook-dispatcher.settings';
import { HttpWebhookSender } from './adapters/http-webhook-sender';
import { TargetPolicy } from './adapters/target-policy';
import { CreateWebhookHandler } from './create-webhook/create-webhook.handler';
import { DeleteWebhookHandler } from './delete-webhook/delete-webhook.handler';
import { DispatchEventsConsumer } from './dispatch-events/dispatch-events.consumer';
import { DispatchEventsHandler } from './dispatch-events/dispatch-events.handler';
import { DELIVERY_MODEL, MongoDeliveriesRepository, deliverySchema } from './mongo/deliveries.mongo';
import { INSTANCE_MODEL, MongoDispatcherInstances, instanceSchema } from './mongo/dispatcher-instances.mongo';
import { ENDPOINT_MODEL, MongoEndpointsRepository, endpointSchema } from './mongo/endpoints.mongo';
import { DeliveriesRepository, DispatcherInstances } from './ports/deliveries.repository';
import { EndpointsRepository } from './ports/endpoints.repository';
import { WebhookSender } from './ports/webhook-sender';
import { WebhookTargets } from './ports/webhook-targets';
import { WebhooksQueries } from './queries/webhooks.queries';
import { RetryDeliveryHandler } from './retry-delivery/retry-delivery.handler';
import { AttemptRecorder } from './services/attempt-recorder';
import { DeliveryScheduler } from './services/delivery-scheduler';
import { FailingEndpoints } from './services/failing-endpoints';
import { WebhookAudit } from './services/webhook-audit';
import { UpdateWebhookHandler } from './update-webhook/update-webhook.handler';
import { WebhooksRpcController } from './webhooks.rpc-controller';

/**
 * Webhooks: admins' endpoints, the fan-out of domain events into deliveries, and their delivery
 * (signed, retried, logged) to receivers that pass the SSRF guard.
 */
@Module({})
export class WebhooksModule {
  /** `migrate`: endpoints, deliveries and replica heartbeats, with their indexes; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([
      { name: ENDPOINT_MODEL, schema: endpointSchema },
      { name: DELIVERY_MODEL, schema: deliverySchema },
      { name: INSTANCE_MODEL, schema: instanceSchema },
    ]);
  }

  static register(env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [WebhooksModule.collections()],
      controllers: [WebhooksRpcController],
      providers: [
        { provide: WebhookDispatcherSettings, useValue: readWebhookDispatcherSettings(env) },
        { provide: EndpointsRepository, useClass: MongoEndpointsRepository },
        { provide: DeliveriesRepository, useClass: MongoDeliveriesRepository },
        { provide: DispatcherInstances, useClass: MongoDispatcherInstances },
        TargetPolicy,
        { provide: WebhookTargets, useExisting: TargetPolicy },
        { provide: WebhookSender, useClass: HttpWebhookSender },
        WebhookAudit,
        AttemptRecorder,
        FailingEndpoints,
        DeliveryScheduler,
        DispatchEventsHandler,
        DispatchEventsConsumer,
        CreateWebhookHandler,
        UpdateWebhookHandler,
        DeleteWebhookHandler,
        RetryDeliveryHandler,
        WebhooksQueries,
      ],
    };
  }
}
