import { MongoClient, type Db } from 'mongodb';
import { TestIsolation } from '@lib/testing';
import { explainMissing } from '../../drills/event-checks';

describe("the drills' explanation of a missing webhook, from the dispatcher's delivery log", () => {
  const iso = new TestIsolation('drillsexplain');
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await new MongoClient(iso.infra.mongoUri).connect();
    db = client.db(iso.dbName);
    await db.collection('webhook_deliveries').insertOne({
      _id: 'd-1' as never,
      body: JSON.stringify({ type: 'coupon.assigned', data: { userId: 'user-7', couponBookId: 'book.3' } }),
      status: 'PENDING',
      attempts: 2,
      lastStatusCode: null,
      lastError: 'ECONNREFUSED',
      owner: 'replica-b',
    });
  });

  afterAll(async () => {
    await client?.close();
    await iso.cleanup();
  });

  it('names a delivery still pending, found by every id its body holds', async () => {
    expect(await explainMissing(db, [['user-7', 'book.3']])).toEqual([
      'user-7 book.3: delivery PENDING after 2 attempts (last: ECONNREFUSED), owner replica-b',
    ]);
  });

  it("says when the event never reached the dispatcher (ids are matched literally: '.' is no wildcard)", async () => {
    expect(await explainMissing(db, [['user-7', 'book-3']])).toEqual([
      "user-7 book-3: no delivery in the dispatcher's log (the event never reached it)",
    ]);
  });
});
