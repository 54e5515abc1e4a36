import { Injectable } from '@nestjs/common';
import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { DELIVERY_STATUSES, type CountedPage } from '@lib/contracts';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
// Longer than any retry schedule runs: the settings refuse one that adds up to more.
import { DELIVERY_LOG_DAYS } from '../../webhook-dispatcher.settings';
import type { Delivery } from '../domain/delivery';
import { AttemptRecord, DeliveriesRepository, DeliveryFilter } from '../ports/deliveries.repository';

/** `owner`: the dispatcher replica working on it (in its memory, or in flight); null when free. */
type DeliveryDoc = Omit<Delivery, 'deliveryId'> & { _id: string; owner: string | null };

export const DELIVERY_MODEL = 'WebhookDelivery';
export const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    webhookId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true, enum: DELIVERY_STATUSES },
    attempts: { type: Number, required: true },
    lastStatusCode: { type: Number, default: null },
    lastError: { type: String, default: null },
    lastAttemptAt: { type: Date, default: null },
    nextAttemptAt: { type: Date, default: null },
    finalAttempt: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    owner: { type: String, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
// One delivery per event and endpoint.
deliverySchema.index({ webhookId: 1, eventId: 1 }, { unique: true });
// The work list, per endpoint: its due PENDING deliveries, oldest due first. Per endpoint, so that
// one endpoint's backlog (a dead receiver's thousands) is never scanned to claim another's.
deliverySchema.index({ webhookId: 1, status: 1, nextAttemptAt: 1 });
// The delivery log, newest first, all or by status.
deliverySchema.index({ webhookId: 1, createdAt: -1, _id: -1 });
deliverySchema.index({ webhookId: 1, status: 1, createdAt: -1, _id: -1 });
deliverySchema.index({ createdAt: 1 }, { expireAfterSeconds: DELIVERY_LOG_DAYS * 24 * 3600 });

const toDelivery = ({ _id, owner: _owner, ...doc }: DeliveryDoc): Delivery => ({
  deliveryId: _id,
  webhookId: doc.webhookId,
  eventId: doc.eventId,
  eventType: doc.eventType,
  body: doc.body,
  status: doc.status,
  attempts: doc.attempts,
  lastStatusCode: doc.lastStatusCode ?? null,
  lastError: doc.lastError ?? null,
  lastAttemptAt: doc.lastAttemptAt ?? null,
  nextAttemptAt: doc.nextAttemptAt ?? null,
  finalAttempt: doc.finalAttempt ?? false,
  createdAt: doc.createdAt,
});

/** Driver calls throughout: this is the dispatcher's hot path (an insert and an update per delivery). */
@Injectable()
export class MongoDeliveriesRepository extends DeliveriesRepository {
  private readonly deliveries: Collection<DeliveryDoc>;

  constructor(@InjectModel(DELIVERY_MODEL) model: Model<DeliveryDoc>) {
    super();
    this.deliveries = model.collection as unknown as Collection<DeliveryDoc>;
  }

  async add(deliveries: Delivery[], owner: string | null): Promise<void> {
    if (!deliveries.length) return;
    await this.deliveries.insertMany(
      deliveries.map(({ deliveryId, ...rest }) => ({ _id: deliveryId, ...rest, owner })),
      { session: TransactionScope.session() },
    );
  }

  async claimDue(
    owner: string,
    liveOwners: string[],
    webhookIds: string[],
    limit: number,
    now: Date,
  ): Promise<Delivery[]> {
    if (!webhookIds.length || limit <= 0) return [];
    const claimable: Filter<DeliveryDoc> = {
      status: 'PENDING',
      nextAttemptAt: { $lte: now },
      webhookId: { $in: webhookIds },
      $or: [{ owner: null }, { owner: { $nin: liveOwners } }],
    };
    const candidates = await this.deliveries
      .find(claimable, { projection: { _id: 1 } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
    if (!candidates.length) return [];
    const ids = candidates.map((c) => c._id);
    // The filter again: a replica racing for the same ones gets only those still free.
    await this.deliveries.updateMany({ ...claimable, _id: { $in: ids } }, { $set: { owner } });
    const claimed = await this.deliveries.find({ _id: { $in: ids }, owner }).toArray();
    return claimed.map(toDelivery);
  }

  async recordAttempts(records: AttemptRecord[]): Promise<void> {
    if (!records.length) return;
    const ops: AnyBulkWriteOperation<DeliveryDoc>[] = records.map(
      ({ deliveryId, result, nextAttemptAt }) => ({
        updateOne: {
          filter: { _id: deliveryId },
          update: {
            $set: {
              status: result.ok ? 'SUCCEEDED' : nextAttemptAt ? 'PENDING' : 'FAILED',
              lastStatusCode: result.statusCode,
              lastError: result.error,
              lastAttemptAt: result.at,
              nextAttemptAt,
              finalAttempt: false,
              owner: null,
            },
            $inc: { attempts: 1 },
          },
        },
      }),
    );
    await this.deliveries.bulkWrite(ops, { ordered: false });
  }

  async release(deliveryIds: string[]): Promise<void> {
    if (!deliveryIds.length) return;
    await this.deliveries.updateMany({ _id: { $in: deliveryIds } }, { $set: { owner: null } });
  }

  async get(webhookId: string, deliveryId: string): Promise<Delivery | null> {
    const doc = await this.deliveries.findOne({ _id: deliveryId, webhookId });
    return doc ? toDelivery(doc) : null;
  }

  async retryNow(
    webhookId: string,
    deliveryId: string,
    owner: string,
    liveOwners: string[],
    now: Date,
  ): Promise<{ delivery: Delivery; claimed: boolean } | null> {
    const current = await this.deliveries.findOne({ _id: deliveryId, webhookId });
    if (!current) return null;
    const heldElsewhere = current.owner !== null && liveOwners.includes(current.owner);
    const doc = await this.deliveries.findOneAndUpdate(
      { _id: deliveryId, webhookId },
      {
        $set: {
          status: 'PENDING',
          nextAttemptAt: now,
          // A finished delivery gets one attempt; a pending one keeps its schedule.
          finalAttempt: current.status !== 'PENDING' || current.finalAttempt === true,
          ...(heldElsewhere ? {} : { owner }),
        },
      },
      { returnDocument: 'after' },
    );
    return doc ? { delivery: toDelivery(doc), claimed: doc.owner === owner } : null;
  }

  async page(
    webhookId: string,
    filter: DeliveryFilter,
    request: PageRequest,
  ): Promise<CountedPage<Delivery>> {
    const match: Filter<DeliveryDoc> = { webhookId };
    if (filter.status) match.status = filter.status;
    if (filter.eventType) match.eventType = filter.eventType;
    const [found, total] = await Promise.all([
      readPage(
        request,
        NEWEST_FIRST,
        ({ filter: after, sort, limit }) =>
          this.deliveries
            .find({ ...match, ...after }, { projection: { body: 0 } })
            .sort(sort)
            .limit(limit)
            .toArray(),
        (doc) => toDelivery({ ...doc, body: '' }),
      ),
      this.deliveries.countDocuments(match),
    ]);
    return { ...found, total };
  }

  async deleteForEndpoint(webhookId: string): Promise<void> {
    await this.deliveries.deleteMany({ webhookId });
  }
}
