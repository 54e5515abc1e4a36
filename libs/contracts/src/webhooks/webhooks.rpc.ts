/** RPC patterns of the webhook dispatcher (queue `rpc.webhooks`). Admins only. */
export const WEBHOOK_RPC = {
  ping: 'webhooks.system.ping',
  /** `{body: CreateWebhookDto}` → CreatedWebhookDto (the secret, this once). */
  createEndpoint: 'webhooks.endpoint.create',
  /** `{query: PageQueryDto}` → WebhookPageDto, newest first. */
  listEndpoints: 'webhooks.endpoint.list',
  /** `{params: WebhookParamsDto}` → WebhookDto. */
  getEndpoint: 'webhooks.endpoint.get',
  /** `{params: WebhookParamsDto, body: UpdateWebhookDto}` → WebhookDto. */
  updateEndpoint: 'webhooks.endpoint.update',
  /** `{params: WebhookParamsDto}` → `{}`; its deliveries go with it. */
  deleteEndpoint: 'webhooks.endpoint.delete',
  /** `{params: WebhookParamsDto, query: DeliveryQueryDto}` → DeliveryPageDto, newest first. */
  listDeliveries: 'webhooks.delivery.list',
  /** `{params: DeliveryParamsDto}` → DeliveryDto, PENDING and due now. */
  retryDelivery: 'webhooks.delivery.retry',
} as const;
