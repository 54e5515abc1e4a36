/**
 * Where a request's time goes, from the apps' own Prometheus histograms: scraped from each
 * server's /metrics before and after a run, the difference is that run's HTTP durations (the
 * gateway), RPC durations as the caller saw them (side=client: publish to reply, the broker and
 * the callee's queue included) and as the callee ran them (side=server: the handler), and each
 * process's event-loop delay (prom-client resets it on every scrape, so the second scrape gives
 * the run's). Bucket bounds make the percentiles "at most" figures; the means are exact.
 */

interface Histogram {
  buckets: Map<number, number>; // upper bound (s) -> cumulative count
  sum: number;
  count: number;
}

export interface Scrape {
  histograms: Map<string, Histogram>;
  gauges: Map<string, number>;
}

export interface Stage {
  count: number;
  meanMs: number;
  /** Upper bounds of the buckets holding the 50th and 99th percentiles (null: above the last). */
  p50AtMostMs: number | null;
  p99AtMostMs: number | null;
}

const STAGE_METRICS: Record<string, string> = {
  http_request_duration_seconds: 'http',
  rpc_duration_seconds: 'rpc',
};
const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LE = /(?:^|,)le="([^"]*)"/;

export async function scrapeMetrics(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics on ${port}: ${res.status}`);
  return parseMetrics(await res.text());
}

export function parseMetrics(text: string): Scrape {
  const histograms = new Map<string, Histogram>();
  const gauges = new Map<string, number>();
  const histogram = (key: string) => {
    let h = histograms.get(key);
    if (!h) histograms.set(key, (h = { buckets: new Map(), sum: 0, count: 0 }));
    return h;
  };
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m || line.startsWith('#')) continue;
    const [, name, rawLabels = '', rawValue] = m;
    const value = Number(rawValue);
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (!(base in STAGE_METRICS)) {
      if (name.startsWith('nodejs_eventloop_lag')) gauges.set(name, value);
      continue;
    }
    const labels = stageLabels(rawLabels);
    if (labels.includes(' /metrics ')) continue; // our own scrapes
    const key = `${STAGE_METRICS[base]} ${labels}`;
    if (name.endsWith('_bucket')) {
      const le = LE.exec(rawLabels)?.[1] ?? '+Inf';
      histogram(key).buckets.set(le === '+Inf' ? Infinity : Number(le), value);
    } else if (name.endsWith('_sum')) histogram(key).sum = value;
    else if (name.endsWith('_count')) histogram(key).count = value;
  }
  return { histograms, gauges };
}

/** `method route status` or `side pattern outcome`: the values, without `app` and `le`. */
function stageLabels(raw: string): string {
  const values: string[] = [];
  for (const m of raw.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    if (m[1] !== 'app' && m[1] !== 'le') values.push(m[2]);
  }
  return values.join(' ');
}

/** The stages that saw requests between two scrapes of one process. */
export function stagesBetween(before: Scrape, after: Scrape): Record<string, Stage> {
  const stages: Record<string, Stage> = {};
  for (const [key, h] of after.histograms) {
    const b = before.histograms.get(key);
    const count = h.count - (b?.count ?? 0);
    if (count <= 0) continue;
    const bounds = [...h.buckets.keys()].sort((x, y) => x - y);
    const cumulative = bounds.map((le) => h.buckets.get(le)! - (b?.buckets.get(le) ?? 0));
    const at = (p: number) => {
      const i = cumulative.findIndex((c) => c >= p * count);
      const le = bounds[i];
      return le === undefined || le === Infinity ? null : Math.round(le * 1000 * 10) / 10;
    };
    stages[key] = {
      count,
      meanMs: Math.round(((h.sum - (b?.sum ?? 0)) / count) * 1000 * 10) / 10,
      p50AtMostMs: at(0.5),
      p99AtMostMs: at(0.99),
    };
  }
  return stages;
}

/** The event loop's delay over the run (prom-client's monitor, reset by the first scrape). */
export function eventLoopDelay(after: Scrape): { p99Ms: number; maxMs: number } | undefined {
  const p99 = after.gauges.get('nodejs_eventloop_lag_p99_seconds');
  const max = after.gauges.get('nodejs_eventloop_lag_max_seconds');
  if (p99 === undefined || max === undefined) return undefined;
  return { p99Ms: Math.round(p99 * 1000 * 10) / 10, maxMs: Math.round(max * 1000 * 10) / 10 };
}
