import mongoose, { type Connection } from 'mongoose';
import type { CommandStartedEvent, Document } from 'mongodb';
import { COUPON_CODE_MODEL, CouponCodeDoc, couponCodeSchema } from '@lib/coupons';
import { TestIsolation } from '@lib/testing';
import {
  COUPON_REDEMPTION_MODEL,
  couponRedemptionSchema,
  MongoCouponCodesRepository,
} from '../../apps/promotion/src/coupon-books/mongo/coupon-codes.mongo';

/**
 * The capacity check of a generation job counts the codes of its pattern that exist already, in
 * every book and only those the pattern can make, with a query on the code index (`_id`): the
 * database scans only the codes that share the pattern's literal prefix and fetches no document.
 */
describe('counting the codes of a pattern (real MongoDB)', () => {
  const iso = new TestIsolation('couponpattern');
  let connection: Connection;
  let codes: MongoCouponCodesRepository;
  const commands: CommandStartedEvent[] = [];

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: iso.dbName, monitorCommands: true })
      .asPromise();
    connection.getClient().on('commandStarted', (event) => commands.push(event));
    codes = new MongoCouponCodesRepository(
      connection.model<CouponCodeDoc>(COUPON_CODE_MODEL, couponCodeSchema),
      connection.model(COUPON_REDEMPTION_MODEL, couponRedemptionSchema) as never,
    );
    const doc = (code: string, couponBookId: string) => ({
      _id: code,
      couponBookId,
      rank: 0,
      assignedTo: null,
    });
    await connection.collection('coupon_codes').insertMany([
      // 'PC-##' over the charset AB makes PC-AA, PC-AB, PC-BA and PC-BB: three in one book, one in another.
      ...['PC-AA', 'PC-AB', 'PC-BA'].map((c) => doc(c, 'book-1')),
      doc('PC-BB', 'book-2'),
      // The same prefix, but the pattern can't make them: another character, longer, shorter.
      ...['PC-AC', 'PC-ABA', 'PC-A', 'PC-', 'PC-ab'].map((c) => doc(c, 'book-2')),
      // Other prefixes, and a thousand codes elsewhere in the index.
      ...['PCX-AB', 'XPC-AB', 'pc-AB'].map((c) => doc(c, 'book-1')),
      ...Array.from({ length: 1000 }, (_, i) => doc(`ZZ-${i}`, 'book-3')),
    ] as never[]);
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  it('counts the codes the pattern can make, in every book, and no other', async () => {
    expect(await codes.countOfPattern('PC-##', 'AB')).toBe(4);
    expect(await codes.countOfPattern('PC-#', 'AB')).toBe(1);
    expect(await codes.countOfPattern('PC-##', 'ABC')).toBe(5);
    expect(await codes.countOfPattern('QQ-##', 'AB')).toBe(0);
    expect(await codes.countOfPattern('ZZ-###', '0123456789')).toBe(900);
  });

  it("uses the code index: only the prefix's range of keys is read, and no document", async () => {
    commands.length = 0;
    await codes.countOfPattern('PC-##', 'AB');
    const sent = commands.find((c) => c.commandName === 'aggregate');
    expect(sent).toBeDefined();
    const pipeline = sent!.command.pipeline as Document[];
    const explained = await connection
      .collection('coupon_codes')
      .aggregate(pipeline)
      .explain('executionStats');
    const stats = JSON.stringify(explained);
    expect(stats).not.toContain('COLLSCAN');
    expect(stats).toContain('"indexName":"_id_"');
    expect(stats).toContain('"totalDocsExamined":0');
    // The 9 codes that start with "PC-" (and one key past them), not the 1012 of the collection.
    const keys = Number(/"totalKeysExamined":(\d+)/.exec(stats)?.[1]);
    expect(keys).toBeGreaterThanOrEqual(9);
    expect(keys).toBeLessThanOrEqual(10);
  });

  it('reads the number of codes in all books from metadata', async () => {
    expect(await codes.estimatedTotal()).toBe(1012);
  });
});
