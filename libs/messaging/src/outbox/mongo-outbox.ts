import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { EventPayloads } from '@lib/contracts';
import { TransactionScope, driverCollection } from '@lib/persistence';
import { RequestContext, traceparentOf } from '@lib/observability';
import { Outbox } from './outbox';

export interface OutboxRecord {
  _id: string; // the eventId
  name: string;
  payload: unknown;
  requestId?: string;
  /** The span that wrote the event (W3C), so its consumers continue that trace. */
  traceparent?: string;
  status: 'pending' | 'sent';
  attempts: number;
  availableAt: Date;
  claimToken?: string;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
}

export const OUTBOX_MODEL = 'OutboxEvent';

export const outboxSchema = new Schema<OutboxRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    requestId: String,
    traceparent: String,
    status: { type: String, required: true, enum: ['pending', 'sent'] },
    attempts: { type: Number, required: true, default: 0 },
    availableAt: { type: Date, required: true },
    claimToken: String,
    lastError: String,
    createdAt: { type: Date, required: true },
    sentAt: Date,
  },
  { collection: 'outbox', versionKey: false, minimize: false },
);
// What the relay asks for: pending events that are due, oldest first.
outboxSchema.index({ status: 1, availableAt: 1, createdAt: 1 });
// Sent events are kept a week for inspection, then expire.
outboxSchema.index({ sentAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });

export function outboxModel(connection: Connection): Model<OutboxRecord> {
  return (
    (connection.models[OUTBOX_MODEL] as Model<OutboxRecord>) ?? connection.model(OUTBOX_MODEL, outboxSchema)
  );
}

/**
 * Where a writer's committed records go straight to be published: the relay of the same process.
 * `claim` is written into the records (already leased to the relay, so no other relay takes them
 * while it publishes); `take` gets them once their transaction has committed.
 */
export interface OutboxHandOver {
  handOverClaim(now: Date): { claimToken: string; availableAt: Date };
  take(records: OutboxRecord[]): void;
}

/**
 * Writes outbox records inside the current transaction. With a hand-over (the process's relay),
 * the records are written already claimed by it and handed to it after the commit: it publishes
 * them without reading them back, and another relay finds them only if this process dies first
 * (their lease runs out). Without one, they wait for any relay's next look.
 */
export class MongoOutbox extends Outbox {
  private readonly collection: () => Collection<OutboxRecord>;

  constructor(
    model: Model<OutboxRecord>,
    private readonly handOver?: OutboxHandOver,
  ) {
    super();
    this.collection = driverCollection(model);
  }

  async add<N extends keyof EventPayloads>(name: N, payload: EventPayloads[N]): Promise<void> {
    const session = TransactionScope.session();
    if (!session)
      throw new Error('Outbox.add must run inside UnitOfWork.run, with the state change it reports');
    const now = new Date();
    const record: OutboxRecord = {
      _id: payload.eventId,
      name,
      payload,
      status: 'pending',
      attempts: 0,
      availableAt: now,
      createdAt: now,
      ...this.handOver?.handOverClaim(now),
    };
    const requestId = RequestContext.requestId();
    const traceparent = traceparentOf();
    if (requestId) record.requestId = requestId;
    if (traceparent) record.traceparent = traceparent;
    // Through the driver's own collection: the record is built complete here, and mongoose's
    // casting of a Mixed payload and its collection wrapper cost a hot path (a purchase, a
    // redemption) more than the insert itself. Written just before the commit, with the other events of the transaction in one insertMany.
    await TransactionScope.insertAtCommit(this.collection(), [record]);
    const handOver = this.handOver;
    if (handOver) TransactionScope.afterCommit(() => handOver.take([record]));
  }
}
