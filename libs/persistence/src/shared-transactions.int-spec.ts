import type { Collection } from 'mongodb';
import { Connection, Model, Schema } from 'mongoose';
import { TestIsolation } from '@lib/testing';
import { MongoUnitOfWork } from './mongo-unit-of-work';
import { openMongoConnection } from './persistence.module';
import { SchemaSetup } from './schema-setup';
import { TransactionScope } from './transaction-scope';
import { UniqueViolation } from './unit-of-work';

interface Account {
  _id: string;
  balance: number;
}
interface Receipt {
  _id: string;
  accountId: string;
  amount: number;
}

/** Group commit on a real replica set: many units, one transaction, each still all or nothing. */
describe('MongoUnitOfWork.runShared and deferred inserts (real replica set)', () => {
  const iso = new TestIsolation('uow-shared');
  let connection: Connection;
  let accounts: Model<Account>;
  let receipts: Model<Receipt>;
  let uow: MongoUnitOfWork;
  let transactions: number;

  const session = () => ({ session: TransactionScope.session() });
  const receiptsCollection = () => receipts.collection as never;
  const accountsCollection = () => accounts.collection as unknown as Collection<Account>;

  /** Credits `accountId` and writes its receipt at commit (the receipt's _id is the business id). */
  const credit = (accountId: string, businessId: string, amount: number, refuse = false) =>
    uow.runShared(async () => {
      await accounts.updateOne(
        { _id: accountId },
        { $inc: { balance: amount } },
        { ...session(), upsert: true },
      );
      await TransactionScope.insertAtCommit(receiptsCollection(), [{ _id: businessId, accountId, amount }]);
      if (refuse) throw new Error(`refused ${businessId}`);
      return businessId;
    });

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    accounts = connection.model('Account', new Schema<Account>({ _id: String, balance: Number }));
    receipts = connection.model(
      'Receipt',
      new Schema<Receipt>({ _id: String, accountId: String, amount: Number }),
    );
    const setup = new SchemaSetup(connection);
    setup.registerModel(accounts);
    setup.registerModel(receipts);
    await setup.run();
    uow = new MongoUnitOfWork(connection, { maxUnits: 8, maxOpen: 1 });
    // Counts the transactions that really start, to show units share them.
    const start = connection.startSession.bind(connection);
    connection.startSession = async (...args: Parameters<typeof start>) => {
      transactions++;
      return start(...args);
    };
  });

  afterAll(async () => {
    await connection.close();
    await iso.cleanup();
  });

  beforeEach(async () => {
    await accounts.deleteMany({});
    await receipts.deleteMany({});
    transactions = 0;
  });

  const balances = async () =>
    Object.fromEntries((await accounts.find().lean()).map((a) => [a._id, a.balance]));

  it('commits 40 concurrent units on 40 accounts in fewer transactions, every write exactly once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i);
    const results = await Promise.all(ids.map((i) => credit(`a${i}`, `r${i}`, i + 1)));
    expect(results).toEqual(ids.map((i) => `r${i}`));
    expect(await balances()).toEqual(Object.fromEntries(ids.map((i) => [`a${i}`, i + 1])));
    expect(await receipts.countDocuments()).toBe(40);
    // One transaction open at a time, up to 8 units each: at least 5, far fewer than 40.
    expect(transactions).toBeGreaterThanOrEqual(5);
    expect(transactions).toBeLessThan(40);
  });

  it('a refused unit leaves nothing, and the units that shared its transaction still commit', async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => credit(`a${i}`, `r${i}`, 10, i === 5)),
    );
    expect(settled[5]).toMatchObject({ status: 'rejected', reason: { message: 'refused r5' } });
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(11);
    const after = await balances();
    expect(after.a5 ?? 0).toBe(0);
    expect(Object.values(after).reduce((sum, b) => sum + b, 0)).toBe(110);
    expect(await receipts.exists({ _id: 'r5' })).toBeNull();
    expect(await receipts.countDocuments()).toBe(11);
  });

  it('a deferred insert that breaks a unique key fails only its unit, as UniqueViolation, and rolls it back', async () => {
    await credit('a0', 'dup', 5);
    const settled = await Promise.allSettled([
      credit('a1', 'x1', 1),
      credit('a2', 'dup', 100),
      credit('a3', 'x3', 3),
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'x1' });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: 'x3' });
    expect(settled[1].status).toBe('rejected');
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolation);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ key: { _id: 'dup' } });
    expect(await balances()).toEqual({ a0: 5, a1: 1, a3: 3 });
  });

  it('same-account units sharing a transaction add up exactly (200 credits over 4 accounts)', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => credit(`a${i % 4}`, `r${i}`, 1 + (i % 3))));
    const expected: Record<string, number> = {};
    for (let i = 0; i < 200; i++) expected[`a${i % 4}`] = (expected[`a${i % 4}`] ?? 0) + 1 + (i % 3);
    expect(await balances()).toEqual(expected);
    expect(await receipts.countDocuments()).toBe(200);
  });

  it('a write conflict with another transaction sends the units to run alone: the others commit at once', async () => {
    await accounts.create({ _id: 'held', balance: 0 });
    // Another replica's transaction holds a write on one account, uncommitted.
    const other = await connection.startSession();
    other.startTransaction();
    await accounts.updateOne({ _id: 'held' }, { $inc: { balance: 1000 } }, { session: other });
    const units = [credit('free1', 'f1', 1), credit('held', 'h1', 5), credit('free2', 'f2', 2)];
    // The free accounts' units don't wait for the held one: they commit while it still waits.
    await expect(Promise.all([units[0], units[2]])).resolves.toEqual(['f1', 'f2']);
    expect(await receipts.exists({ _id: 'h1' })).toBeNull();
    await other.commitTransaction();
    await other.endSession();
    await expect(units[1]).resolves.toBe('h1');
    expect(await balances()).toEqual({ held: 1005, free1: 1, free2: 2 });
  });

  it('outside a transaction, insertAtCommit writes at once', async () => {
    await TransactionScope.insertAtCommit(receiptsCollection(), [{ _id: 'now', accountId: 'a0', amount: 1 }]);
    expect(await receipts.exists({ _id: 'now' })).not.toBeNull();
  });

  it('runs after-commit hooks once per committed unit, never for a refused one', async () => {
    const fired: string[] = [];
    const hooked = (id: string, refuse: boolean) =>
      uow.runShared(async () => {
        TransactionScope.afterCommit(() => fired.push(id));
        await accounts.updateOne({ _id: id }, { $inc: { balance: 1 } }, { ...session(), upsert: true });
        if (refuse) throw new Error('no');
      });
    await Promise.allSettled(['h1', 'h2', 'h3', 'h4'].map((id) => hooked(id, id === 'h2')));
    expect(fired.sort()).toEqual(['h1', 'h3', 'h4']);
  });

  it('sums the increments of units sharing a transaction into one write per key, exactly, and none for a refused unit', async () => {
    // Four shards of one counter; each transaction's units bump the shard chosen once for it.
    await accounts.insertMany([
      ...[0, 1, 2, 3].map((i) => ({ _id: `shard${i}`, balance: 0 })),
      { _id: 'other', balance: 0 },
    ]);
    let turn = 0;
    const chosen: string[] = [];
    const chooseShard = () => {
      const id = `shard${turn++ % 4}`;
      chosen.push(id);
      return id;
    };
    const bump = (n: number, refuse = false) =>
      uow.runShared(async () => {
        await TransactionScope.incrementAtCommit(accounts.collection, 'counter', chooseShard, { balance: n });
        await TransactionScope.incrementAtCommit(accounts.collection, 'other', () => 'other', { balance: 1 });
        if (refuse) throw new Error('refused');
        return n;
      });
    const shardTotal = async () =>
      (await accounts.find({ _id: /^shard/ }).lean()).reduce((sum, d) => sum + d.balance, 0);
    const amounts = Array.from({ length: 60 }, (_, i) => i + 1);
    await expect(Promise.all(amounts.map((n) => bump(n)))).resolves.toEqual(amounts);
    expect(await shardTotal()).toBe(1830);
    expect((await accounts.findById('other').lean())?.balance).toBe(60);
    // Far fewer shard writes than units: units sharing a transaction wrote their sum once.
    expect(chosen.length).toBeLessThan(30);
    // With refusals among them (each then runs alone), the refused add nothing.
    const settled = await Promise.allSettled(amounts.map((n) => bump(n, n % 10 === 0)));
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(6);
    expect(await shardTotal()).toBe(1830 + 1830 - (10 + 20 + 30 + 40 + 50 + 60));
    expect((await accounts.findById('other').lean())?.balance).toBe(60 + 54);
  });

  it("conditional updates at commit: each unit's own, written together; a refused one (a duplicate key) fails only its unit", async () => {
    // A slot per account, at most 3: the upsert matches only below the cap, and at the cap its
    // insert runs into the account's own _id.
    const take = (accountId: string, businessId: string) =>
      uow.runShared(async () => {
        await TransactionScope.insertAtCommit(receiptsCollection(), [
          { _id: businessId, accountId, amount: 1 },
        ]);
        await TransactionScope.updateAtCommit(accountsCollection(), {
          updateOne: {
            filter: { _id: accountId, balance: { $lt: 3 } },
            update: { $inc: { balance: 1 } },
            upsert: true,
          },
        });
        return businessId;
      });
    // One taker on each of 12 accounts: they share transactions, and all get their slot.
    const firsts = Array.from({ length: 12 }, (_, i) => `first${i}`);
    await expect(Promise.all(firsts.map((a) => take(a, `${a}-t`)))).resolves.toHaveLength(12);
    expect(transactions).toBeLessThan(12);
    expect(await accounts.countDocuments({ _id: /^first/, balance: 1 })).toBe(12);

    // 5 takers on each of 4 accounts at once: exactly 3 each get a slot, 2 are refused.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => take(`slots${i % 4}`, `t${i}`)),
    );
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused).toHaveLength(8);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(UniqueViolation);
      expect(r.reason).toMatchObject({ collection: 'accounts' });
    }
    for (let a = 0; a < 4; a++) expect((await accounts.findById(`slots${a}`).lean())?.balance).toBe(3);
    // A refused unit wrote nothing: one receipt per slot taken.
    expect(await receipts.countDocuments({ accountId: /^slots/ })).toBe(12);
  });

  it('outside a transaction, updateAtCommit writes at once', async () => {
    await TransactionScope.updateAtCommit(accountsCollection(), {
      updateOne: { filter: { _id: 'solo-update' }, update: { $inc: { balance: 2 } }, upsert: true },
    });
    expect((await accounts.findById('solo-update').lean())?.balance).toBe(2);
  });

  it('outside a transaction, incrementAtCommit writes at once', async () => {
    await accounts.create({ _id: 'solo', balance: 0 });
    await TransactionScope.incrementAtCommit(accounts.collection, 'k', () => 'solo', { balance: 3 });
    expect((await accounts.findById('solo').lean())?.balance).toBe(3);
  });
});
