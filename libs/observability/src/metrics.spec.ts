import { Metrics } from './metrics';
import { metricValue as valueOf } from './testing/metric-value';

describe('Metrics', () => {
  it('declares the operational metrics the chart uses, labelled with the app', async () => {
    const metrics = new Metrics('promotion', false);
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'outbox_unpublished_events',
        'outbox_oldest_unpublished_age_seconds',
        'outbox_published_total',
        'events_handled_total',
        'events_dead_lettered_total',
        'vouchers_issued_total',
        'coupon_generation_jobs_total',
        'coupon_generation_jobs_running',
        'coupon_codes_generated_total',
      ]),
    );
    metrics.vouchersIssued.inc(3);
    expect(await metrics.render()).toContain('vouchers_issued_total{app="promotion"} 3');
  });

  it("reads the outbox backlog from the relay's sampler when scraped, once for both gauges", async () => {
    const metrics = new Metrics('loyalty', false);
    expect(await valueOf(metrics, 'outbox_unpublished_events')).toBe(0); // no outbox in this app
    let calls = 0;
    metrics.sampleOutbox(async () => {
      calls++;
      return { unpublished: 7, oldestAgeSeconds: 42.5 };
    });
    const text = await metrics.render();
    expect(text).toContain('outbox_unpublished_events{app="loyalty"} 7');
    expect(text).toContain('outbox_oldest_unpublished_age_seconds{app="loyalty"} 42.5');
    expect(calls).toBe(2); // one per gauge: the relay's sampler shares one query between them
  });

  it('keeps the last sample and still renders when the outbox cannot be read', async () => {
    const metrics = new Metrics('auth', false);
    let fail = false;
    metrics.sampleOutbox(async () => {
      if (fail) throw new Error('mongo down');
      return { unpublished: 2, oldestAgeSeconds: 9 };
    });
    expect(await valueOf(metrics, 'outbox_oldest_unpublished_age_seconds')).toBe(9);
    fail = true;
    expect(await metrics.render()).toContain('outbox_oldest_unpublished_age_seconds{app="auth"} 9');
  });
});
