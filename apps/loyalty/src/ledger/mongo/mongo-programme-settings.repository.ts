import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { Model } from 'mongoose';
import { InjectModel, TransactionScope, driverCollection } from '@lib/persistence';
import type { PointsPolicy } from '../domain/points-policy';
import type { TierTable } from '../domain/tiers';
import { ProgrammeSettingsRepository } from '../ports/programme-settings.repository';
import { PROGRAMME_MODEL, ProgrammeDoc } from './programme-settings.schemas';

@Injectable()
export class MongoProgrammeSettings extends ProgrammeSettingsRepository {
  constructor(@InjectModel(PROGRAMME_MODEL) settings: Model<ProgrammeDoc>) {
    super();
    this.collection = driverCollection<ProgrammeDoc>(settings);
  }

  private readonly collection: () => Collection<ProgrammeDoc>;

  async policy(): Promise<PointsPolicy | null> {
    return (await this.read('points-policy')) as PointsPolicy | null;
  }

  async tiers(): Promise<TierTable | null> {
    return (await this.read('tiers')) as TierTable | null;
  }

  async savePolicy(policy: PointsPolicy, at: Date): Promise<void> {
    await this.save('points-policy', policy, at);
  }

  async saveTiers(table: TierTable, at: Date): Promise<void> {
    await this.save('tiers', table, at);
  }

  private async read(id: ProgrammeDoc['_id']): Promise<unknown> {
    const doc = await this.collection().findOne({ _id: id }, { session: TransactionScope.session() });
    return doc?.value ?? null;
  }

  private async save(id: ProgrammeDoc['_id'], value: unknown, at: Date): Promise<void> {
    await this.collection().updateOne(
      { _id: id },
      { $set: { value, updatedAt: at } },
      { upsert: true, session: TransactionScope.session() },
    );
  }
}
