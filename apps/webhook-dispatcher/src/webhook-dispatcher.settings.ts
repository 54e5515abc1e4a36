import ipaddr from 'ipaddr.js';
import { EnvReader } from '@lib/config';
import { parseDuration, parseDurationList } from './webhooks/domain/durations';

export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';
/** Deliveries are kept this long (a TTL on their creation): every retry must fall within it. */
export const DELIVERY_LOG_DAYS = 30;
const MAX_SCHEDULE_MS = (DELIVERY_LOG_DAYS - 1) * 86_400_000;

/** The dispatcher's own settings, on top of PlatformConfig. Read once at boot. */
export class WebhookDispatcherSettings {
  constructor(
    /** WEBHOOKS_ALLOW_HTTP: plain http targets are allowed (development, tests); https only otherwise. */
    readonly allowHttp: boolean,
    /** WEBHOOKS_ALLOWED_PRIVATE_CIDRS: non-public ranges the operator allows as targets (e.g. an in-cluster CRM). */
    readonly allowedPrivateCidrs: string[],
    /** WEBHOOKS_RETRY_SCHEDULE: the wait before each retry; after the last one a delivery is FAILED. */
    readonly retryScheduleMs: number[],
    /** WEBHOOKS_TIMEOUT_MS: a receiver must answer 2xx within this, connection included. */
    readonly timeoutMs: number,
    /** WEBHOOKS_ENDPOINT_CONCURRENCY: requests in flight to one endpoint at most, per replica. */
    readonly endpointConcurrency: number,
    /** WEBHOOKS_DISABLE_AFTER: an endpoint whose deliveries have all failed this long is disabled. */
    readonly disableAfterMs: number,
    /** WEBHOOKS_POLL_MS: how often a replica looks for retries that are due and work a dead replica left. */
    readonly pollMs: number,
    /** WEBHOOKS_HEARTBEAT_MS: how often a replica says it is alive; silent for 5 beats, its work is taken over. */
    readonly heartbeatMs: number,
  ) {}
}

export function readWebhookDispatcherSettings(
  env: NodeJS.ProcessEnv = process.env,
): WebhookDispatcherSettings {
  const reader = new EnvReader(env);
  const cidrs = (env.WEBHOOKS_ALLOWED_PRIVATE_CIDRS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const cidr of cidrs) {
    try {
      ipaddr.parseCIDR(cidr);
    } catch {
      reader.problem(`WEBHOOKS_ALLOWED_PRIVATE_CIDRS: "${cidr}" is not a CIDR range such as 10.20.0.0/16`);
    }
  }
  const schedule = parseDurationList(env.WEBHOOKS_RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE);
  if (typeof schedule === 'string')
    reader.problem(`WEBHOOKS_RETRY_SCHEDULE: ${schedule}, e.g. ${DEFAULT_RETRY_SCHEDULE}`);
  else if (schedule.reduce((sum, ms) => sum + ms, 0) > MAX_SCHEDULE_MS)
    reader.problem(
      `WEBHOOKS_RETRY_SCHEDULE adds up to more than ${DELIVERY_LOG_DAYS - 1} days: the delivery log (and a delivery still retrying) is kept ${DELIVERY_LOG_DAYS} days`,
    );
  const disableAfter = parseDuration(env.WEBHOOKS_DISABLE_AFTER || '5d');
  if (disableAfter === null) reader.problem('WEBHOOKS_DISABLE_AFTER must be a duration such as 5d or 36h');
  const settings = new WebhookDispatcherSettings(
    reader.bool('WEBHOOKS_ALLOW_HTTP', false),
    cidrs,
    typeof schedule === 'string' ? [] : schedule,
    reader.int('WEBHOOKS_TIMEOUT_MS', 10_000, 100, 60_000),
    reader.int('WEBHOOKS_ENDPOINT_CONCURRENCY', 16, 1, 256),
    disableAfter ?? 0,
    reader.int('WEBHOOKS_POLL_MS', 1_000, 20, 60_000),
    reader.int('WEBHOOKS_HEARTBEAT_MS', 2_000, 100, 60_000),
  );
  reader.finish('webhook-dispatcher');
  return settings;
}
