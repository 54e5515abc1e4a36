import { randomBytes } from 'node:crypto';
import {
  ALL_WEBHOOK_EVENTS,
  type WebhookDto,
  type WebhookEventChoice,
  type WebhookEventType,
  type WebhookStatus,
} from '@lib/contracts';

/** An integrator's endpoint: where to deliver which events, and the key to sign them with. */
export interface WebhookEndpoint {
  webhookId: string;
  url: string;
  events: WebhookEventChoice[];
  description: string | null;
  status: WebhookStatus;
  disabledReason: 'ADMIN' | 'FAILING' | null;
  /** Since when every attempt has failed; null after any success. */
  failingSince: Date | null;
  /** `whsec_` + base64 of the key (Standard Webhooks). Never answered after the create. */
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

/** 24 random bytes: the Standard Webhooks range is 24-64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export function subscribes(endpoint: Pick<WebhookEndpoint, 'events'>, type: WebhookEventType): boolean {
  return endpoint.events.includes(ALL_WEBHOOK_EVENTS) || endpoint.events.includes(type);
}

/** Whether an endpoint that is failing has failed long enough to be disabled. */
export function failingTooLong(failingSince: Date | null, now: Date, disableAfterMs: number): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= disableAfterMs;
}

export function toWebhookView(endpoint: WebhookEndpoint): WebhookDto {
  return {
    webhookId: endpoint.webhookId,
    url: endpoint.url,
    events: [...endpoint.events],
    description: endpoint.description,
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}
