import { Schema, type Connection, type Model } from 'mongoose';
import { TransactionScope } from '@lib/persistence';

export interface ProcessedEventRecord {
  _id: string; // `${consumer}:${eventId}`
  consumer: string;
  eventId: string;
  processedAt: Date;
}

export const PROCESSED_EVENT_MODEL = 'ProcessedEvent';

export const processedEventSchema = new Schema<ProcessedEventRecord>(
  {
    _id: { type: String, required: true },
    consumer: { type: String, required: true },
    eventId: { type: String, required: true },
    processedAt: { type: Date, required: true },
  },
  { collection: 'processed_events', versionKey: false },
);
// Redeliveries come within minutes (retries, broker restarts); a month of memory is ample, and
// effects that must stay unique for ever are also guarded by their own unique indexes.
processedEventSchema.index({ processedAt: 1 }, { expireAfterSeconds: 30 * 24 * 3600 });

export function processedEventModel(connection: Connection): Model<ProcessedEventRecord> {
  return (
    (connection.models[PROCESSED_EVENT_MODEL] as Model<ProcessedEventRecord>) ??
    connection.model(PROCESSED_EVENT_MODEL, processedEventSchema)
  );
}

/**
 * Records that a consumer has handled an event, inside the transaction of the handler's effect.
 * The _id is unique, so a redelivered or concurrently delivered event finds its record and is
 * skipped: the effect happens once however often the broker delivers.
 */
export class ProcessedEvents {
  constructor(private readonly model: Model<ProcessedEventRecord>) {}

  /**
   * True when this call recorded it (first time); false when it was already processed. A racing
   * duplicate makes the insert fail (write conflict, retried by the unit of work, or a
   * UniqueViolation on `processed_events`, which the consumer treats as already processed): a
   * failed write aborts a Mongo transaction, so the error must leave it rather than be swallowed.
   */
  async markProcessed(consumer: string, eventId: string): Promise<boolean> {
    const session = TransactionScope.session();
    if (!session) throw new Error('markProcessed must run inside UnitOfWork.run');
    const _id = `${consumer}:${eventId}`;
    if (await this.model.exists({ _id }).session(session)) return false;
    await this.model.create([{ _id, consumer, eventId, processedAt: new Date() }], { session });
    return true;
  }
}
