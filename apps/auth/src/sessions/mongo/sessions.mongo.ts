import { Injectable } from '@nestjs/common';
import { Schema, type Model } from 'mongoose';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { RefreshFamilyState } from '../domain/refresh-family';
import { LoginRecord, SessionsRepository, StoredRefreshToken } from '../ports/sessions.repository';

interface FamilyDoc extends Omit<RefreshFamilyState, 'familyId'> {
  _id: string;
  revokedReason: string | null;
  rotations: number;
  /** Changes to the user that a refresh must not race (fenceAllForUser). */
  fences?: number;
}
interface TokenDoc extends Omit<StoredRefreshToken, 'tokenHash'> {
  _id: string;
}
interface LoginDoc extends Omit<LoginRecord, 'loginId'> {
  _id: string;
}

export const FAMILY_MODEL = 'RefreshFamily';
export const familySchema = new Schema<FamilyDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    rotations: { type: Number, required: true, default: 0 },
    fences: { type: Number, default: 0 },
  },
  { collection: 'refresh_families', versionKey: false },
);
familySchema.index({ userId: 1 });
familySchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const TOKEN_MODEL = 'RefreshToken';
export const tokenSchema = new Schema<TokenDoc>(
  {
    _id: { type: String, required: true },
    familyId: { type: String, required: true },
    userId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'refresh_tokens', versionKey: false },
);
tokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const LOGIN_MODEL = 'Login';
export const loginSchema = new Schema<LoginDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    groupId: { type: String, required: true },
    firstLogin: { type: Boolean, required: true },
    ip: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'logins', versionKey: false },
);
loginSchema.index({ userId: 1, at: -1 });
loginSchema.index({ at: -1 });

@Injectable()
export class MongoSessionsRepository extends SessionsRepository {
  constructor(
    @InjectModel(FAMILY_MODEL) private readonly families: Model<FamilyDoc>,
    @InjectModel(TOKEN_MODEL) private readonly tokens: Model<TokenDoc>,
    @InjectModel(LOGIN_MODEL) private readonly logins: Model<LoginDoc>,
  ) {
    super();
  }

  async startFamily(family: RefreshFamilyState): Promise<void> {
    const { familyId, ...rest } = family;
    await this.families.create([{ _id: familyId, ...rest, revokedReason: null, rotations: 0 }], {
      session: TransactionScope.session(),
    });
  }

  async findFamily(familyId: string): Promise<RefreshFamilyState | null> {
    const doc = await this.families
      .findById(familyId)
      .session(TransactionScope.session() ?? null)
      .lean<FamilyDoc>();
    return doc
      ? { familyId: doc._id, userId: doc.userId, expiresAt: doc.expiresAt, revokedAt: doc.revokedAt ?? null }
      : null;
  }

  async addToken(token: StoredRefreshToken): Promise<void> {
    const { tokenHash, ...rest } = token;
    await this.tokens.create([{ _id: tokenHash, ...rest }], { session: TransactionScope.session() });
    // Touching the family makes concurrent refreshes and a revocation of it conflict, so they
    // serialize: a token minted while the family is being revoked cannot survive the revocation.
    await this.families.updateOne(
      { _id: token.familyId },
      { $inc: { rotations: 1 } },
      { session: TransactionScope.session() },
    );
  }

  async findToken(tokenHash: string): Promise<StoredRefreshToken | null> {
    const doc = await this.tokens
      .findById(tokenHash)
      .session(TransactionScope.session() ?? null)
      .lean<TokenDoc>();
    return doc
      ? {
          tokenHash: doc._id,
          familyId: doc.familyId,
          userId: doc.userId,
          expiresAt: doc.expiresAt,
          usedAt: doc.usedAt,
        }
      : null;
  }

  async spendToken(tokenHash: string, now: Date): Promise<boolean> {
    const result = await this.tokens.updateOne(
      { _id: tokenHash, usedAt: null },
      { $set: { usedAt: now } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount === 1;
  }

  async revokeFamily(familyId: string, reason: string, now: Date): Promise<void> {
    await this.families.updateOne(
      { _id: familyId, revokedAt: null },
      { $set: { revokedAt: now, revokedReason: reason } },
      { session: TransactionScope.session() },
    );
  }

  async revokeAllForUser(userId: string, reason: string, now: Date): Promise<number> {
    const result = await this.families.updateMany(
      { userId, revokedAt: null },
      { $set: { revokedAt: now, revokedReason: reason } },
      { session: TransactionScope.session() },
    );
    return result.modifiedCount;
  }

  async fenceAllForUser(userId: string): Promise<void> {
    // $inc, not $set: a write that changes nothing would not conflict with anything.
    await this.families.updateMany(
      { userId, revokedAt: null },
      { $inc: { fences: 1 } },
      { session: TransactionScope.session() },
    );
  }

  async recordLogin(login: LoginRecord): Promise<void> {
    const { loginId, ...rest } = login;
    await this.logins.create([{ _id: loginId, ...rest }], { session: TransactionScope.session() });
  }
}
