import type { Reply } from './gateway-client';
import type { OpKind } from './profile';

/** What an answer means for an operation: done, refused for good, or worth another attempt. */
export type Verdict = 'ok' | 'rejected' | 'retry';

export interface Attempt {
  gateway: number;
  /** Date.now() when the request was sent and when its answer (or error) came. */
  sentAt: number;
  doneAt: number;
  status: number;
  code?: string;
  errorId?: string;
  error?: string;
}

/** One business operation: every attempt sends the same business id and body. */
export interface Operation {
  kind: OpKind;
  /** The business id (purchaseId, redemptionId, the username of a first login, member:book). */
  id: string;
  groupId?: string;
  userId?: string;
  send(gateway: number): Promise<Reply>;
  /** `earlier`: the attempts before this one (an assignment's 422 after a lost answer is its own). */
  judge(reply: Reply, earlier: readonly Attempt[]): Verdict;
}

export interface OpRecord {
  kind: OpKind;
  id: string;
  groupId?: string;
  userId?: string;
  startedAt: number;
  endedAt?: number;
  attempts: Attempt[];
  /** unresolved: still failing when its retry time ran out. */
  outcome?: 'ok' | 'rejected' | 'unresolved';
  /** The body of the final answer. */
  result?: any;
}

/** Arrivals of one kind at a constant rate; `next()` is undefined once its pool is used up. */
export interface Stream {
  kind: OpKind;
  perSecond: number;
  next(): Operation | undefined;
}

export interface GatewayPicker {
  pick(n: number): number;
  failed(gateway: number): void;
}

export interface LoadOptions {
  retryForMs: number;
  /** Arrivals beyond this many operations in flight are counted, not sent. */
  maxInFlight?: number;
}

const TICK_MS = 5;
// Capped at 10 s (5 to 15 with jitter), as a till's client would: hundreds of operations retrying
// every second or two through an outage are a load of their own, which a small machine may never
// dig out from.
const BACKOFF_MS = [100, 200, 400, 800, 1600, 3200, 6400, 10_000];

/**
 * An open-loop load: each stream's operations start at a constant rate whatever the answers, so
 * an outage queues work up instead of slowing the client down (a closed loop would hide it).
 * Each operation retries a 5xx, a socket error or a 429 with the same business id, on another
 * gateway, with backoff, until it gets a final answer or `retryForMs` has passed.
 */
export class OpenLoopLoad {
  readonly records: OpRecord[] = [];
  /** Arrivals that found their pool empty (no more fresh users) or too much in flight. */
  readonly missed: Record<string, number> = {};
  private readonly inFlight = new Set<Promise<void>>();
  private readonly issued = new Map<Stream, number>();
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private launched = 0;

  constructor(
    private readonly streams: readonly Stream[],
    private readonly gateways: GatewayPicker,
    private readonly options: LoadOptions,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** No new arrivals; operations in flight go on retrying (see drain). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves once every operation has its final outcome. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private tick(): void {
    const elapsed = Date.now() - this.startedAt;
    for (const stream of this.streams) {
      // Arrivals are due by the clock, not by answers: a stalled event loop catches up.
      const due = Math.floor((elapsed * stream.perSecond) / 1000);
      for (let n = this.issued.get(stream) ?? 0; n < due; n++) this.launch(stream);
      this.issued.set(stream, due);
    }
  }

  private launch(stream: Stream): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 2_000)) {
      this.missed[stream.kind] = (this.missed[stream.kind] ?? 0) + 1;
      return;
    }
    const op = stream.next();
    if (!op) {
      this.missed[stream.kind] = (this.missed[stream.kind] ?? 0) + 1;
      return;
    }
    const record: OpRecord = {
      kind: op.kind,
      id: op.id,
      groupId: op.groupId,
      userId: op.userId,
      startedAt: Date.now(),
      attempts: [],
    };
    this.records.push(record);
    const running: Promise<void> = this.run(op, record, this.launched++).finally(() =>
      this.inFlight.delete(running),
    );
    this.inFlight.add(running);
  }

  private async run(op: Operation, record: OpRecord, n: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const gateway = this.gateways.pick(n + attempt);
      const sentAt = Date.now();
      let reply: Reply;
      try {
        reply = await op.send(gateway);
      } catch (err) {
        reply = { status: 0, error: (err as Error).message };
      }
      const doneAt = Date.now();
      const verdict = op.judge(reply, record.attempts);
      record.attempts.push({
        gateway,
        sentAt,
        doneAt,
        status: reply.status,
        code: reply.code,
        errorId: reply.errorId,
        error: reply.error,
      });
      if (verdict !== 'retry') {
        record.outcome = verdict;
        record.result = reply.body;
        record.endedAt = doneAt;
        return;
      }
      if (reply.status === 0 || reply.status === 503) this.gateways.failed(gateway);
      if (doneAt - record.startedAt >= this.options.retryForMs) {
        record.outcome = 'unresolved';
        record.endedAt = doneAt;
        return;
      }
      await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] * (0.5 + Math.random()));
    }
  }
}

/** The usual meaning of an answer: 2xx done; 5xx, socket errors and 429 again; other 4xx final. */
export function usualVerdict(reply: Reply): Verdict {
  if (reply.status >= 200 && reply.status < 300) return 'ok';
  if (reply.status === 0 || reply.status >= 500 || reply.status === 429) return 'retry';
  return 'rejected';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
