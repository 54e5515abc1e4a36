import type { BatchEventConsumer, BatchSubscriptionOptions } from '@lib/messaging';
import { Metrics } from '@lib/observability';
import { TransactionScope } from '@lib/persistence';
import { metricValue } from '../../../../../libs/observability/src/testing/metric-value';
import { CampaignSettings } from '../campaigns.settings';
import { IssueVouchersConsumer } from './issue-vouchers.consumer';
import type { IssueVouchersHandler } from './issue-vouchers.handler';

type Options = BatchSubscriptionOptions<'auth.user.logged-in'>;

describe('IssueVouchersConsumer: vouchers_issued_total', () => {
  async function subscribed(issued: number) {
    let options: Options | undefined;
    const consumer = {
      subscribe: async (o: Options) => {
        options = o;
      },
    } as unknown as BatchEventConsumer;
    const handler = { execute: async () => issued } as unknown as IssueVouchersHandler;
    const metrics = new Metrics('promotion', false);
    await new IssueVouchersConsumer(
      consumer,
      handler,
      new CampaignSettings(30, 10, 20),
      metrics,
    ).onApplicationBootstrap();
    const afterCommit: Array<() => void> = [];
    // The batch consumer runs `handle` inside its unit of work; this stands in for that transaction.
    const handleInTransaction = () =>
      TransactionScope.run(
        {} as Parameters<typeof TransactionScope.run>[0],
        () => options!.handle([]),
        afterCommit,
      );
    return { metrics, afterCommit, handleInTransaction };
  }

  it('counts the vouchers a batch issued once its transaction commits, not before', async () => {
    const { metrics, afterCommit, handleInTransaction } = await subscribed(3);
    await handleInTransaction();
    expect(await metricValue(metrics, 'vouchers_issued_total')).toBe(0);
    for (const fn of afterCommit) fn();
    expect(await metricValue(metrics, 'vouchers_issued_total')).toBe(3);
  });
});
