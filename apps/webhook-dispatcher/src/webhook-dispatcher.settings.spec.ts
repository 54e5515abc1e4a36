import { readWebhookDispatcherSettings } from './webhook-dispatcher.settings';

describe('webhook dispatcher settings', () => {
  it('defaults to https only, public targets only, the standard schedule, 10 s and 5 days', () => {
    const s = readWebhookDispatcherSettings({});
    expect(s).toMatchObject({
      allowHttp: false,
      allowedPrivateCidrs: [],
      timeoutMs: 10_000,
      endpointConcurrency: 16,
      disableAfterMs: 5 * 86_400_000,
    });
    expect(s.retryScheduleMs).toHaveLength(7);
  });

  it('refuses a schedule that would outlive the 30-day delivery log', () => {
    expect(() => readWebhookDispatcherSettings({ WEBHOOKS_RETRY_SCHEDULE: '10d,10d,10d' })).toThrow(
      /WEBHOOKS_RETRY_SCHEDULE adds up to more than 29 days/,
    );
    expect(
      readWebhookDispatcherSettings({ WEBHOOKS_RETRY_SCHEDULE: '10d,10d,9d' }).retryScheduleMs,
    ).toHaveLength(3);
  });

  it('refuses to start on bad values, naming every one', () => {
    expect(() =>
      readWebhookDispatcherSettings({
        WEBHOOKS_RETRY_SCHEDULE: '5s,soon',
        WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '10.0.0.0/8,intranet',
        WEBHOOKS_DISABLE_AFTER: 'a week',
        WEBHOOKS_ALLOW_HTTP: 'yes',
      }),
    ).toThrow(
      /WEBHOOKS_ALLOWED_PRIVATE_CIDRS: "intranet"[\s\S]*WEBHOOKS_RETRY_SCHEDULE: "soon"[\s\S]*WEBHOOKS_DISABLE_AFTER[\s\S]*WEBHOOKS_ALLOW_HTTP/,
    );
  });
});
