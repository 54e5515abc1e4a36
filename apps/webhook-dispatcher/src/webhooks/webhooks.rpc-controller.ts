import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreateWebhookDto,
  DeliveryParamsDto,
  DeliveryQueryDto,
  PageQueryDto,
  RPC,
  UpdateWebhookDto,
  WebhookParamsDto,
  type CreatedWebhookDto,
  type DeliveryDto,
  type DeliveryPageDto,
  type WebhookDto,
  type WebhookPageDto,
} from '@lib/contracts';
import { CallerVerifier } from '@lib/jwt';
import { RpcPayload, type ValidRpcRequest } from '@lib/messaging';
import { readPageRequest } from '@lib/paging';
import { CreateWebhookHandler } from './create-webhook/create-webhook.handler';
import { DeleteWebhookHandler } from './delete-webhook/delete-webhook.handler';
import { WebhooksQueries } from './queries/webhooks.queries';
import { RetryDeliveryHandler } from './retry-delivery/retry-delivery.handler';
import { UpdateWebhookHandler } from './update-webhook/update-webhook.handler';

/** Webhook endpoints and their deliveries: admins only, checked again here on the re-verified token. */
@Controller()
export class WebhooksRpcController {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly createWebhook: CreateWebhookHandler,
    private readonly updateWebhook: UpdateWebhookHandler,
    private readonly deleteWebhook: DeleteWebhookHandler,
    private readonly retryDelivery: RetryDeliveryHandler,
    private readonly queries: WebhooksQueries,
  ) {}

  @MessagePattern(RPC.webhooks.createEndpoint)
  async create(
    @RpcPayload({ body: CreateWebhookDto }) req: ValidRpcRequest<CreateWebhookDto>,
  ): Promise<CreatedWebhookDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.createWebhook.execute(admin, req.body);
  }

  @MessagePattern(RPC.webhooks.listEndpoints)
  async list(
    @RpcPayload({ query: PageQueryDto }) req: ValidRpcRequest<never, PageQueryDto>,
  ): Promise<WebhookPageDto> {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    return this.queries.list(page);
  }

  @MessagePattern(RPC.webhooks.getEndpoint)
  async get(
    @RpcPayload({ params: WebhookParamsDto }) req: ValidRpcRequest<never, never, WebhookParamsDto>,
  ): Promise<WebhookDto> {
    await this.callers.caller(req, 'admin');
    return this.queries.get(req.params.webhookId);
  }

  @MessagePattern(RPC.webhooks.updateEndpoint)
  async update(
    @RpcPayload({ params: WebhookParamsDto, body: UpdateWebhookDto })
    req: ValidRpcRequest<UpdateWebhookDto, never, WebhookParamsDto>,
  ): Promise<WebhookDto> {
    const admin = await this.callers.caller(req, 'admin');
    return this.updateWebhook.execute(admin, req.params.webhookId, req.body);
  }

  @MessagePattern(RPC.webhooks.deleteEndpoint)
  async delete(
    @RpcPayload({ params: WebhookParamsDto }) req: ValidRpcRequest<never, never, WebhookParamsDto>,
  ): Promise<Record<string, never>> {
    const admin = await this.callers.caller(req, 'admin');
    await this.deleteWebhook.execute(admin, req.params.webhookId);
    return {};
  }

  @MessagePattern(RPC.webhooks.listDeliveries)
  async deliveries(
    @RpcPayload({ params: WebhookParamsDto, query: DeliveryQueryDto })
    req: ValidRpcRequest<never, DeliveryQueryDto, WebhookParamsDto>,
  ): Promise<DeliveryPageDto> {
    const page = readPageRequest(req.query);
    await this.callers.caller(req, 'admin');
    return this.queries.deliveriesOf(req.params.webhookId, req.query ?? {}, page);
  }

  @MessagePattern(RPC.webhooks.retryDelivery)
  async retry(
    @RpcPayload({ params: DeliveryParamsDto }) req: ValidRpcRequest<never, never, DeliveryParamsDto>,
  ): Promise<DeliveryDto> {
    await this.callers.caller(req, 'admin');
    return this.retryDelivery.execute(req.params.webhookId, req.params.deliveryId);
  }
}
