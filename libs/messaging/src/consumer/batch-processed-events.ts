import type { Model } from 'mongoose';
import { TransactionScope } from '@lib/persistence';
import type { ProcessedEventRecord } from './processed-events';

/**
 * ProcessedEvents for a batch: one read of which ids are already recorded and one insert of the
 * rest, inside the batch's transaction. A concurrent delivery of one of them makes the insert
 * fail (write conflict or duplicate key), which aborts the whole batch; the batch consumer then
 * goes one by one.
 */
export class BatchProcessedEvents {
  constructor(private readonly model: Model<ProcessedEventRecord>) {}

  /** Records the ids not yet processed by `consumer` and returns them; skips the others. */
  async markProcessed(consumer: string, eventIds: string[]): Promise<Set<string>> {
    const session = TransactionScope.session();
    if (!session) throw new Error('markProcessed must run inside UnitOfWork.run');
    const ids = eventIds.map((eventId) => `${consumer}:${eventId}`);
    const seen = await this.model.collection
      .find({ _id: { $in: ids as never[] } }, { projection: { _id: 1 }, session })
      .toArray();
    const done = new Set(seen.map((d) => String(d._id)));
    const processedAt = new Date();
    const fresh = eventIds.filter((eventId) => !done.has(`${consumer}:${eventId}`));
    if (fresh.length) {
      await this.model.collection.insertMany(
        fresh.map((eventId) => ({
          _id: `${consumer}:${eventId}`,
          consumer,
          eventId,
          processedAt,
        })) as never[],
        { session },
      );
    }
    return new Set(fresh);
  }
}
