import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import type { TokenRevocation } from '../domain/revocation';
import { TokenRevocationsRepository } from '../ports/token-revocations.repository';

interface RevocationDoc {
  _id: string;
  validAfter: Date;
  expiresAt: Date;
}

export const TOKEN_REVOCATION_MODEL = 'TokenRevocation';
export const tokenRevocationSchema = new Schema<RevocationDoc>(
  {
    _id: { type: String, required: true },
    validAfter: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'token_revocations', versionKey: false },
);
// Each record carries its own expiry (its validAfter plus the longest token lifetime and a
// margin, from the settings of the auth that wrote it), so the index needs no setting. It also
// serves the list of live revocations.
tokenRevocationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

@Injectable()
export class MongoTokenRevocationsRepository extends TokenRevocationsRepository {
  private readonly revocations: Collection<RevocationDoc>;

  constructor(@InjectModel(TOKEN_REVOCATION_MODEL) model: Model<RevocationDoc>) {
    super();
    this.revocations = model.collection as unknown as Collection<RevocationDoc>;
  }

  async record({ principalId, validAfter, expiresAt }: TokenRevocation): Promise<void> {
    // $max: of two revocations of one principal, in whichever order they commit, the later stays.
    await this.revocations.updateOne(
      { _id: principalId },
      { $max: { validAfter, expiresAt } },
      { upsert: true, session: TransactionScope.session() },
    );
  }

  async validAfter(principalId: string): Promise<Date | null> {
    const doc = await this.revocations.findOne(
      { _id: principalId },
      { session: TransactionScope.session(), projection: { validAfter: 1 } },
    );
    return doc?.validAfter ?? null;
  }

  async listLive(now: Date): Promise<Array<Pick<TokenRevocation, 'principalId' | 'validAfter'>>> {
    const docs = await this.revocations
      .find({ expiresAt: { $gt: now } }, { projection: { validAfter: 1 } })
      .toArray();
    return docs.map((doc) => ({ principalId: doc._id, validAfter: doc.validAfter }));
  }
}
