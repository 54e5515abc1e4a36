import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateWebhookDto,
  CreatedWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  DeliveryParamsDto,
  DeliveryQueryDto,
  emptyWebhookUpdate,
  PageQueryDto,
  RPC,
  UpdateWebhookDto,
  WebhookDto,
  WebhookPageDto,
  WebhookParamsDto,
} from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { Authenticated, BearerToken } from '@lib/jwt';
import { ApiProblems } from '../http/api-problems';
import { ServiceClient } from '../http/service-client';

/** The signing secret is shown once: no cache or proxy may keep the answer that carries it. */
const NO_STORE = { 'Cache-Control': { description: 'no-store', schema: { type: 'string' } } };

/**
 * Webhook endpoints and their delivery log, kept by the webhook dispatcher. Deliveries follow the
 * Standard Webhooks specification (docs/api.md, Webhooks).
 */
@ApiTags('Webhooks (admin)')
@Controller('admin/webhooks')
@Authenticated('admin')
export class WebhooksController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook endpoint; its signing secret is shown this once',
    description:
      'The URL must be https (http only where the operator allows it), and its host must not be or ' +
      'resolve to a loopback, private, link-local or CGNAT address unless the operator allows that range.',
  })
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CreatedWebhookDto, headers: NO_STORE })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'WEBHOOK_URL_FORBIDDEN')
  create(@BearerToken() accessToken: string, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.services.call('webhooks', RPC.webhooks.createEndpoint, { accessToken, body });
  }

  @Get()
  @ApiOperation({ summary: 'The webhook endpoints, never with their secrets' })
  @ApiOkResponse({ type: WebhookPageDto, description: 'Newest first' })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN')
  list(@BearerToken() accessToken: string, @Query() query: PageQueryDto): Promise<WebhookPageDto> {
    return this.services.call('webhooks', RPC.webhooks.listEndpoints, { accessToken, query: { ...query } });
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One webhook endpoint' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  get(@BearerToken() accessToken: string, @Param() params: WebhookParamsDto): Promise<WebhookDto> {
    return this.services.call('webhooks', RPC.webhooks.getEndpoint, {
      accessToken,
      params: { webhookId: params.webhookId },
    });
  }

  @Patch(':webhookId')
  @ApiOperation({
    summary: "Change an endpoint's URL, events or description, or enable or disable it",
    description:
      'A disabled endpoint gets no new deliveries and its pending ones wait; enabling it resumes them.',
  })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'WEBHOOK_URL_FORBIDDEN')
  update(
    @BearerToken() accessToken: string,
    @Param() params: WebhookParamsDto,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    const empty = emptyWebhookUpdate(body);
    if (empty.length) throw new ValidationFailed(empty);
    return this.services.call('webhooks', RPC.webhooks.updateEndpoint, {
      accessToken,
      params: { webhookId: params.webhookId },
      body,
    });
  }

  @Delete(':webhookId')
  @ApiOperation({ summary: 'Delete an endpoint, with its delivery log' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  async delete(@BearerToken() accessToken: string, @Param() params: WebhookParamsDto): Promise<void> {
    await this.services.call('webhooks', RPC.webhooks.deleteEndpoint, {
      accessToken,
      params: { webhookId: params.webhookId },
    });
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: "An endpoint's deliveries, newest first, optionally by status or event type" })
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  deliveries(
    @BearerToken() accessToken: string,
    @Param() params: WebhookParamsDto,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPageDto> {
    return this.services.call('webhooks', RPC.webhooks.listDeliveries, {
      accessToken,
      params: { webhookId: params.webhookId },
      query: { ...query },
    });
  }

  @Post(':webhookId/deliveries/:deliveryId/retry')
  @ApiOperation({
    summary: 'Try a delivery again now',
    description: 'A FAILED or SUCCEEDED delivery gets one more attempt; a PENDING one is brought forward.',
  })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'PENDING, due now' })
  @ApiProblems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND')
  retry(@BearerToken() accessToken: string, @Param() params: DeliveryParamsDto): Promise<DeliveryDto> {
    return this.services.call('webhooks', RPC.webhooks.retryDelivery, {
      accessToken,
      params: { webhookId: params.webhookId, deliveryId: params.deliveryId },
    });
  }
}
