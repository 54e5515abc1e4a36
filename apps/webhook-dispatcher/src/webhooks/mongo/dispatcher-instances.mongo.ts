import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel } from '@lib/persistence';
import { DispatcherInstances } from '../ports/deliveries.repository';

type InstanceDoc = { _id: string; beatAt: Date };

export const INSTANCE_MODEL = 'DispatcherInstance';
export const instanceSchema = new Schema<InstanceDoc>(
  { _id: { type: String, required: true }, beatAt: { type: Date, required: true } },
  { collection: 'dispatcher_instances', versionKey: false },
);
// A replica silent for an hour is forgotten (its claims were taken over long before).
instanceSchema.index({ beatAt: 1 }, { expireAfterSeconds: 3600 });

@Injectable()
export class MongoDispatcherInstances extends DispatcherInstances {
  private readonly instances: Collection<InstanceDoc>;

  constructor(@InjectModel(INSTANCE_MODEL) model: Model<InstanceDoc>) {
    super();
    this.instances = model.collection as unknown as Collection<InstanceDoc>;
  }

  async beat(instanceId: string, at: Date): Promise<void> {
    await this.instances.updateOne({ _id: instanceId }, { $set: { beatAt: at } }, { upsert: true });
  }

  async live(since: Date): Promise<string[]> {
    const docs = await this.instances.find({ beatAt: { $gte: since } }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  async remove(instanceId: string): Promise<void> {
    await this.instances.deleteOne({ _id: instanceId });
  }
}
