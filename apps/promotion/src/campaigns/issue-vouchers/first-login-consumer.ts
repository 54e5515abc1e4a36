import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EVENTS, type UserLoggedInV1 } from '@lib/contracts';
import { BatchEventConsumer } from '@lib/messaging';
import { CAMPAIGN_SETTINGS, CampaignSettings } from '../campaign-settings';
import { IssueFirstLoginVouchersHandler } from './issue-first-login-vouchers.handler';

export const FIRST_LOGIN_CONSUMER = 'promotion.first-login-vouchers';

/** Why a login event can never be handled (it goes to the dead-letter queue), or undefined. */
export function invalidLoginEvent(payload: unknown): string | undefined {
  const e = payload as Partial<Record<keyof UserLoggedInV1, unknown>> | null;
  if (typeof e !== 'object' || e === null) return 'not an object';
  if (typeof e.userId !== 'string' || !e.userId || e.userId.length > 200) return 'userId missing or invalid';
  if (typeof e.groupId !== 'string' || !e.groupId) return 'groupId missing or invalid';
  if (typeof e.firstLogin !== 'boolean') return 'firstLogin must be a boolean';
  if (typeof e.occurredAt !== 'string' || Number.isNaN(Date.parse(e.occurredAt)))
    return 'occurredAt must be an ISO-8601 timestamp';
  return undefined;
}

/**
 * Subscribes the voucher issuing to `auth.user.logged-in`: first logins, in batches of up to
 * VOUCHER_ISSUE_BATCH_SIZE per transaction; other logins are acked untouched.
 */
@Injectable()
export class FirstLoginConsumer implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly consumer: BatchEventConsumer,
    private readonly issue: IssueFirstLoginVouchersHandler,
    @Inject(CAMPAIGN_SETTINGS) private readonly settings: CampaignSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.consumer.subscribe({
      consumer: FIRST_LOGIN_CONSUMER,
      events: [EVENTS.userLoggedIn],
      validate: invalidLoginEvent,
      skip: (payload) => !payload.firstLogin,
      batchSize: this.settings.issueBatchSize,
      prefetch: this.settings.issuePrefetch,
      handle: async (items) => {
        await this.issue.execute(
          items.map((i) => i.payload),
          { lookUpHolders: items.length === 1 },
        );
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.close();
  }
}
