// For the Webhooks page's tests: endpoints and deliveries as the API answers them.
import type { Delivery, Webhook } from '../../api/types';

export const CRM_ID = '0b6a1d2e-7c4f-4e8a-9d3b-1f2e3a4b5c6d';

export function webhook(over: Partial<Webhook> = {}): Webhook {
  return {
    webhookId: CRM_ID,
    url: 'https://crm.example.com/hooks/loyalty',
    events: ['purchase.recorded', 'points.redeemed'],
    description: 'CRM sync',
    status: 'ENABLED',
    disabledReason: null,
    failingSince: null,
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    ...over,
  };
}

export function delivery(over: Partial<Delivery> = {}): Delivery {
  return {
    deliveryId: 'd-1',
    eventId: 'msg_1',
    eventType: 'purchase.recorded',
    status: 'SUCCEEDED',
    attempts: 1,
    lastStatusCode: 200,
    lastError: null,
    nextAttemptAt: null,
    lastAttemptAt: '2026-12-06T09:00:01.000Z',
    createdAt: '2026-12-06T09:00:00.000Z',
    ...over,
  };
}

export const page = <T>(items: T[], nextCursor: string | null = null) => ({
  status: 200,
  body: { items, nextCursor },
});
