import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { BatchEventConsumer } from '@lib/messaging';
import { Metrics } from '@lib/observability';
import { TransactionScope } from '@lib/persistence';
import { CampaignSettings } from '../campaigns.settings';
import { IssueVouchersHandler } from './issue-vouchers.handler';

export const FIRST_LOGIN_CONSUMER = 'promotion.first-login-vouchers';

/**
 * Subscribes the voucher issuing to `auth.user.logged-in`: first logins, in batches of up to
 * VOUCHER_ISSUE_BATCH_SIZE per transaction; other logins are acked untouched. The payload is
 * checked against UserLoggedInV1 by the consumer before it gets here.
 */
@Injectable()
export class IssueVouchersConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly consumer: BatchEventConsumer,
    private readonly issue: IssueVouchersHandler,
    private readonly settings: CampaignSettings,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.subscribe({
      consumer: FIRST_LOGIN_CONSUMER,
      events: [EVENTS.userLoggedIn],
      skip: (payload) => !payload.firstLogin,
      batchSize: this.settings.issueBatchSize,
      prefetch: this.settings.issuePrefetch,
      handle: async (items) => {
        const issued = await this.issue.execute(
          items.map((i) => i.payload),
          { lookUpHolders: items.length === 1 },
        );
        // Counted once the batch commits: a rolled-back or retried attempt issued nothing.
        TransactionScope.afterCommit(() => this.metrics.vouchersIssued.inc(issued));
      },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.close();
  }
}
