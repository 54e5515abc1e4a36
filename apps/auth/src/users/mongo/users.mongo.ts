import { Injectable } from '@nestjs/common';
import { Schema, type Model } from 'mongoose';
import type { CountedPage } from '@lib/contracts';
import { NEWEST_FIRST, PageRequest, readPage } from '@lib/paging';
import { InjectModel, TransactionScope } from '@lib/persistence';
import { User, UserChanges } from '../domain/user';
import { UsersRepository } from '../ports/users.repository';

type UserDoc = Omit<User, 'userId'> & { _id: string; lastLoginAt: Date | null };

export const USER_MODEL = 'User';
export const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    email: { type: String, required: true },
    phone: { type: String, default: null },
    fullName: { type: String, default: null },
    birthday: { type: String, default: null },
    groupId: { type: String, required: true },
    roles: { type: [String], required: true },
    status: { type: String, required: true, enum: ['ACTIVE', 'DISABLED'] },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    firstLoginAt: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
  },
  { collection: 'users', versionKey: false },
);
userSchema.index({ username: 1 }, { unique: true });
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ groupId: 1 });
// The admin user list pages newest first by (createdAt, _id).
userSchema.index({ createdAt: -1, _id: -1 });

const toUser = ({ _id, ...rest }: UserDoc): User => ({
  userId: _id,
  username: rest.username,
  email: rest.email,
  phone: rest.phone ?? null,
  fullName: rest.fullName ?? null,
  birthday: rest.birthday ?? null,
  groupId: rest.groupId,
  roles: rest.roles,
  status: rest.status,
  passwordHash: rest.passwordHash,
  createdAt: rest.createdAt,
  firstLoginAt: rest.firstLoginAt ?? null,
});

@Injectable()
export class MongoUsersRepository extends UsersRepository {
  constructor(@InjectModel(USER_MODEL) private readonly users: Model<UserDoc>) {
    super();
  }

  async insert(user: User): Promise<void> {
    const { userId, ...rest } = user;
    await this.users.create([{ _id: userId, ...rest, lastLoginAt: null }], {
      session: TransactionScope.session(),
    });
  }

  async findById(userId: string): Promise<User | null> {
    // The driver directly: mongoose's query building, casting and hooks cost more than the read.
    const doc = (await this.users.collection.findOne(
      { _id: userId as never },
      { session: TransactionScope.session() },
    )) as UserDoc | null;
    return doc ? toUser(doc) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await this.users
      .findOne({ username })
      .session(TransactionScope.session() ?? null)
      .lean<UserDoc>();
    return doc ? toUser(doc) : null;
  }

  async recordLogin(userId: string, at: Date): Promise<{ firstLogin: boolean } | null> {
    const session = TransactionScope.session();
    // Only a user with no firstLoginAt matches: of two concurrent first logins, one matches and
    // the other hits a write conflict, retries, and then sees firstLoginAt set. Only an ACTIVE
    // user matches: a login racing a disable either conflicts with it (and then sees DISABLED)
    // or commits first (and its refresh family is revoked by the disable).
    const first = await this.users.updateOne(
      { _id: userId, status: 'ACTIVE', firstLoginAt: null },
      { $set: { firstLoginAt: at, lastLoginAt: at } },
      { session },
    );
    if (first.modifiedCount === 1) return { firstLogin: true };
    const again = await this.users.updateOne(
      { _id: userId, status: 'ACTIVE' },
      { $set: { lastLoginAt: at } },
      { session },
    );
    return again.matchedCount === 1 ? { firstLogin: false } : null;
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.updateOne(
      { _id: userId },
      { $set: { passwordHash } },
      { session: TransactionScope.session() },
    );
  }

  async findByIds(userIds: string[]): Promise<User[]> {
    const docs = (await this.users.collection
      .find({ _id: { $in: userIds as never[] } }, { session: TransactionScope.session() })
      .toArray()) as unknown as UserDoc[];
    return docs.map(toUser);
  }

  async update(userId: string, changes: UserChanges): Promise<void> {
    const $set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (!Object.keys($set).length) return;
    await this.users.updateOne({ _id: userId }, { $set }, { session: TransactionScope.session() });
  }

  async search(text: string | undefined, page: PageRequest): Promise<CountedPage<User>> {
    // A substring in any case: a regex, escaped so the admin's text is matched literally. It
    // cannot use an index; the (createdAt, _id) index still orders the scan and stops it early.
    const contains = text && new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    const match = contains
      ? { $or: [{ username: contains }, { email: contains }, { fullName: contains }] }
      : {};
    const session = TransactionScope.session();
    const [found, total] = await Promise.all([
      readPage(
        page,
        NEWEST_FIRST,
        ({ filter, sort, limit }) =>
          this.users.collection
            .find({ $and: [match, filter] }, { session })
            .sort(sort)
            .limit(limit)
            .toArray() as unknown as Promise<UserDoc[]>,
        toUser,
      ),
      this.users.collection.countDocuments(match, { session }),
    ]);
    return { ...found, total };
  }

  count(): Promise<number> {
    return this.users.countDocuments({}).session(TransactionScope.session() ?? null);
  }
}
