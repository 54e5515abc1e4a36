import type { PageRequest } from '@lib/paging';
import type { CountedPage, WebhookEventType } from '@lib/contracts';
import type { WebhookEndpoint } from '../domain/endpoint';

export type EndpointChanges = Partial<
  Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'status' | 'disabledReason' | 'failingSince'>
>;

/** The endpoints admins keep. */
export abstract class EndpointsRepository {
  abstract insert(endpoint: WebhookEndpoint): Promise<void>;
  abstract get(webhookId: string): Promise<WebhookEndpoint | null>;
  /** The endpoint after the change, or null when there is none. */
  abstract update(webhookId: string, changes: EndpointChanges, at: Date): Promise<WebhookEndpoint | null>;
  abstract delete(webhookId: string): Promise<boolean>;
  /** One page, newest first; `total` counts every endpoint. */
  abstract page(request: PageRequest): Promise<CountedPage<WebhookEndpoint>>;
  /** The ENABLED endpoints subscribed to any of `types`. */
  abstract enabledFor(types: WebhookEventType[]): Promise<WebhookEndpoint[]>;
  /** Every ENABLED endpoint (a replica delivers only to those, and keeps them in memory). */
  abstract allEnabled(): Promise<WebhookEndpoint[]>;
  /** Records a failed attempt: sets failingSince if unset; answers it. */
  abstract recordFailure(webhookId: string, at: Date): Promise<Date | null>;
  /** Records a success: clears failingSince. */
  abstract recordSuccess(webhookIds: string[]): Promise<void>;
  /** Disables a failing endpoint, unless it recovered or changed meanwhile; true if it did. */
  abstract disableFailing(webhookId: string, failingSince: Date, at: Date): Promise<boolean>;
}
