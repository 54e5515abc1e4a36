import mongoose, { Connection, Model, Schema } from 'mongoose';
import { TestIsolation } from '@lib/testing';
import { MongoUnitOfWork } from './mongo-unit-of-work';
import { openMongoConnection, hasWritablePrimary } from './persistence.module';
import { SchemaSetup } from './schema-setup';
import { TransactionScope } from './transaction-scope';
import { UniqueViolation } from './unit-of-work';

interface Account {
  _id: string;
  balance: number;
}
interface Entry {
  accountId: string;
  businessId: string;
  amount: number;
}

describe('MongoUnitOfWork (real replica set)', () => {
  const iso = new TestIsolation('uow');
  let connection: Connection;
  let accounts: Model<Account>;
  let entries: Model<Entry>;
  let uow: MongoUnitOfWork;

  const session = () => ({ session: TransactionScope.session() });

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    accounts = connection.model('Account', new Schema<Account>({ _id: String, balance: Number }));
    const entrySchema = new Schema<Entry>({ accountId: String, businessId: String, amount: Number });
    entrySchema.index({ businessId: 1 }, { unique: true });
    entries = connection.model('Entry', entrySchema);
    const setup = new SchemaSetup(connection);
    setup.registerModel(accounts);
    setup.registerModel(entries);
    await setup.run();
    uow = new MongoUnitOfWork(connection);
  });

  afterAll(async () => {
    await connection.close();
    await iso.cleanup();
  });

  beforeEach(async () => {
    await accounts.deleteMany({});
    await entries.deleteMany({});
    await accounts.create({ _id: 'a1', balance: 0 });
  });

  const credit = (businessId: string, amount: number) =>
    uow.run(async () => {
      await entries.create([{ accountId: 'a1', businessId, amount }], session());
      await accounts.updateOne({ _id: 'a1' }, { $inc: { balance: amount } }, session());
      return businessId;
    });

  it('commits every write of the work together and returns its result', async () => {
    await expect(credit('p-1', 50)).resolves.toBe('p-1');
    expect((await accounts.findById('a1').lean())?.balance).toBe(50);
    expect(await entries.countDocuments()).toBe(1);
  });

  it('aborts: an error after some writes leaves none of them', async () => {
    await expect(
      uow.run(async () => {
        await entries.create([{ accountId: 'a1', businessId: 'p-2', amount: 10 }], session());
        await accounts.updateOne({ _id: 'a1' }, { $inc: { balance: 10 } }, session());
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect((await accounts.findById('a1').lean())?.balance).toBe(0);
    expect(await entries.countDocuments()).toBe(0);
  });

  it('turns a unique-index conflict into UniqueViolation and rolls back the whole unit', async () => {
    await credit('p-3', 30);
    const replay = credit('p-3', 30);
    await expect(replay).rejects.toBeInstanceOf(UniqueViolation);
    await expect(replay).rejects.toMatchObject({ key: { businessId: 'p-3' } });
    expect((await accounts.findById('a1').lean())?.balance).toBe(30);
    expect(await entries.countDocuments()).toBe(1);
  });

  it('credits exactly once per business id under 20 concurrent duplicates', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => credit('p-4', 7)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => r.reason instanceof UniqueViolation)).toBe(true);
    expect((await accounts.findById('a1').lean())?.balance).toBe(7);
  });

  it('retries write conflicts so 25 concurrent credits all land, with an exact total', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => credit(`c-${i}`, i + 1)));
    expect((await accounts.findById('a1').lean())?.balance).toBe((25 * 26) / 2);
    expect(await entries.countDocuments()).toBe(25);
  });

  it('runs after-commit hooks only for a committed unit', async () => {
    const fired: string[] = [];
    await uow.run(async () => TransactionScope.afterCommit(() => fired.push('committed')));
    await uow
      .run(async () => {
        TransactionScope.afterCommit(() => fired.push('rolled-back'));
        throw new Error('no');
      })
      .catch(() => undefined);
    expect(fired).toEqual(['committed']);
  });

  it('sees a writable primary, and reports none once the connection is gone', async () => {
    expect(await hasWritablePrimary(connection)).toBe(true);
    const other = await mongoose.createConnection(iso.infra.mongoUri).asPromise();
    await other.close();
    expect(await hasWritablePrimary(other)).toBe(false);
  });
});
