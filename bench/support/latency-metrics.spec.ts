// The bench build (tsconfig.bench.json) has no Jest globals: they are imported.
import { eventLoopDelay, parseMetrics, stagesBetween } from './latency-metrics';

const scrape = (fast: number, slow: number, lagP99: number) => {
  const series = (le: string, count: number) =>
    `rpc_duration_seconds_bucket{le="${le}",side="server",pattern="loyalty.purchase.create",outcome="ok",app="loyalty"} ${count}`;
  return parseMetrics(
    [
      '# HELP rpc_duration_seconds RPC latency, as seen by the client and by the server',
      '# TYPE rpc_duration_seconds histogram',
      series('0.01', fast),
      series('0.05', fast),
      series('0.1', fast + slow),
      series('+Inf', fast + slow),
      `rpc_duration_seconds_sum{side="server",pattern="loyalty.purchase.create",outcome="ok",app="loyalty"} ${fast * 0.005 + slow * 0.08}`,
      `rpc_duration_seconds_count{side="server",pattern="loyalty.purchase.create",outcome="ok",app="loyalty"} ${fast + slow}`,
      `http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/metrics",status="200",app="loyalty"} 3`,
      `http_request_duration_seconds_sum{method="GET",route="/metrics",status="200",app="loyalty"} 0.1`,
      `http_request_duration_seconds_count{method="GET",route="/metrics",status="200",app="loyalty"} 3`,
      `nodejs_eventloop_lag_p99_seconds{app="loyalty"} ${lagP99}`,
      `nodejs_eventloop_lag_max_seconds{app="loyalty"} 0.2`,
    ].join('\n'),
  );
};

describe('latency stages from Prometheus scrapes', () => {
  it("gives a run's count, mean and percentile buckets from the difference of two scrapes", () => {
    // Before: 100 fast ones. After: 190 more fast (5 ms) and 10 slow (80 ms).
    const stages = stagesBetween(scrape(100, 0, 0.5), scrape(290, 10, 0.012));
    expect(stages).toEqual({
      'rpc server loyalty.purchase.create ok': {
        count: 200,
        meanMs: 8.8,
        p50AtMostMs: 10,
        p99AtMostMs: 100,
      },
    });
  });

  it("reads the event loop's delay of the second scrape", () => {
    expect(eventLoopDelay(scrape(0, 0, 0.012))).toEqual({ p99Ms: 12, maxMs: 200 });
  });
});
