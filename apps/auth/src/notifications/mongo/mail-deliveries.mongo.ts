import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel } from '@lib/persistence';
import { DeliveryState } from '../domain/delivery';
import { MailDeliveriesRepository } from '../ports/mail-deliveries.repository';

interface DeliveryDoc {
  _id: string; // `${eventId}:${recipient}`
  eventId: string;
  recipient: string;
  state: DeliveryState;
  attempts: number;
  messageId: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const MAIL_DELIVERY_MODEL = 'MailDelivery';
export const mailDeliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    recipient: { type: String, required: true },
    state: { type: String, required: true, enum: ['sending', 'sent', 'failed', 'refused'] },
    attempts: { type: Number, required: true },
    messageId: { type: String, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'mail_deliveries', versionKey: false },
);
mailDeliverySchema.index({ eventId: 1 });
// Redeliveries come within minutes; the records outlive the processed-event records (30 days).
mailDeliverySchema.index({ createdAt: 1 }, { expireAfterSeconds: 60 * 24 * 3600 });

const key = (eventId: string, recipient: string) => `${eventId}:${recipient}`;

/**
 * Every call here runs WITHOUT the ambient transaction's session, on purpose: these records must
 * be durable the moment they are written, whatever happens to the event's transaction.
 */
@Injectable()
export class MongoMailDeliveriesRepository extends MailDeliveriesRepository {
  private readonly deliveries: Collection<DeliveryDoc>;

  constructor(@InjectModel(MAIL_DELIVERY_MODEL) model: Model<DeliveryDoc>) {
    super();
    this.deliveries = model.collection as unknown as Collection<DeliveryDoc>;
  }

  async state(eventId: string, recipient: string): Promise<DeliveryState | null> {
    const doc = await this.deliveries.findOne({ _id: key(eventId, recipient) });
    return doc?.state ?? null;
  }

  async claim(eventId: string, recipient: string, at: Date): Promise<void> {
    await this.deliveries.updateOne(
      { _id: key(eventId, recipient) },
      {
        $set: { state: 'sending', updatedAt: at },
        $inc: { attempts: 1 },
        $setOnInsert: { eventId, recipient, messageId: null, lastError: null, createdAt: at },
      },
      { upsert: true },
    );
  }

  async finish(
    eventId: string,
    recipient: string,
    outcome: { state: Exclude<DeliveryState, 'sending'>; messageId?: string; error?: string },
    at: Date,
  ): Promise<void> {
    await this.deliveries.updateOne(
      { _id: key(eventId, recipient) },
      {
        $set: {
          state: outcome.state,
          updatedAt: at,
          ...(outcome.messageId !== undefined && { messageId: outcome.messageId }),
          ...(outcome.error !== undefined && { lastError: outcome.error.slice(0, 500) }),
        },
      },
    );
  }
}
