import mongoose from 'mongoose';
import { EVENTS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { GENERATION_CONSUMER } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.consumer';
import { createBook, uploadCodes, waitForJob } from '../support/coupons-client';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Auth = Record<string, string>;

describe('coupon books: books, uploads, generation, assignment, locks and redemptions (e2e)', () => {
  const iso = new TestIsolation('couponbooks');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let audit: EventTap;
  let chief: Auth;
  let adminId: string;
  let alice: Awaited<ReturnType<typeof member>>;
  let bob: Awaited<ReturnType<typeof member>>;

  beforeAll(async () => {
    iso.queue(GENERATION_CONSUMER);
    audit = await EventTap.open(iso, EVENTS.auditRecorded);
    stack = await startPlatformStack(iso, {
      services: ['promotion', 'coupon-worker'],
      env: { 'coupon-worker': { COUPON_GENERATION_BATCH_SIZE: '1000' } },
      authEnv: ADMIN_ENV,
    });
    db = await mongoose
      .createConnection(iso.infra.mongoUri, { dbName: serviceDatabase(iso, 'promotion') })
      .asPromise();
    const a = await admin(stack.http);
    chief = a.auth;
    adminId = a.userId;
    [alice, bob] = await Promise.all([member(stack.http), member(stack.http)]);
  });

  afterAll(async () => {
    await audit?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => stack.http();
  const seen: Array<{ payload: Record<string, unknown> }> = [];
  /** The audit event matching `match`, waiting for the outbox relay to publish it. */
  const auditEntry = (match: (e: { payload: Record<string, any> }) => boolean) =>
    waitFor('the audit event', async () => {
      seen.push(...(await audit.drain()));
      return seen.find(match);
    });
  const book = async (id: string) =>
    (await http().get(`/v1/admin/coupon-books/${id}`).set(chief).expect(200)).body;

  describe('admin routes', () => {
    it.each([
      ['post', '/v1/admin/coupon-books'],
      ['get', '/v1/admin/coupon-books'],
      ['get', '/v1/admin/coupon-books/x'],
      ['post', '/v1/admin/coupon-books/x/codes'],
      ['post', '/v1/admin/coupon-books/x/generation-jobs'],
      ['get', '/v1/admin/generation-jobs'],
      ['get', '/v1/admin/generation-jobs/x'],
    ] as const)('%s %s: 401 without a token, 403 for a member', async (method, path) => {
      expect((await http()[method](path).send({})).body.code).toBe('UNAUTHENTICATED');
      const res = await http()[method](path).set(alice.auth).send({});
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('member routes need a token', async () => {
      for (const [method, path] of [
        ['post', '/v1/coupon-books/x/assignments'],
        ['get', '/v1/coupons/me'],
        ['post', '/v1/coupons/X/lock'],
        ['delete', '/v1/coupons/X/lock'],
        ['post', '/v1/coupons/X/redemptions'],
      ] as const) {
        const res = await http()[method](path).send({});
        expect([method, path, res.status]).toEqual([method, path, 401]);
      }
    });
  });

  describe('books', () => {
    it('creates a book with defaults and zero stats, and audits it in the same unit of work', async () => {
      const res = await http()
        .post('/v1/admin/coupon-books')
        .set(chief)
        .send({ name: 'Spring', description: 'spring sale', maxCodesPerUser: 2 })
        .expect(201);
      expect(res.body).toMatchObject({
        couponBookId: expect.any(String),
        name: 'Spring',
        description: 'spring sale',
        maxCodesPerUser: 2,
        maxRedemptionsPerUser: null,
        allowMultipleRedemptions: false,
        codePattern: '########',
        charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
        active: true,
        stats: { total: 0, assigned: 0, redeemed: 0 },
      });
      const events = await auditEntry((e) => e.payload.target === `coupon-book:${res.body.couponBookId}`);
      expect(events.payload).toMatchObject({ actorId: adminId, action: 'coupon-book.create' });
    });

    it('rejects bad input with VALIDATION_FAILED naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{}, 'name'],
        [{ name: 'x', surprise: 1 }, 'surprise'],
        [{ name: 'x', charset: 'AAB' }, 'charset'],
        [{ name: 'x', charset: 'A' }, 'charset'],
        [{ name: 'x', codePattern: 'NOHASH' }, 'codePattern'],
        [{ name: 'x', codePattern: 'AB/##' }, 'codePattern'],
        [{ name: 'x', maxCodesPerUser: 0 }, 'maxCodesPerUser'],
        [{ name: 'x', startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
        [{ name: 'x', description: null }, 'description'],
      ];
      for (const [body, field] of cases) {
        const res = await http().post('/v1/admin/coupon-books').set(chief).send(body);
        expect([field, res.status, res.body.code]).toEqual([field, 400, 'VALIDATION_FAILED']);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('lists books newest first in pages, each with stats; an unknown book is 404', async () => {
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await createBook(http, chief, { name: `paged ${i}` }));
      const first = await http().get('/v1/admin/coupon-books?limit=2').set(chief).expect(200);
      expect(first.body.items.map((b: { couponBookId: string }) => b.couponBookId)).toEqual([
        made[2].couponBookId,
        made[1].couponBookId,
      ]);
      expect(first.body.items[0].stats).toEqual({ total: 0, assigned: 0, redeemed: 0 });
      const second = await http()
        .get(`/v1/admin/coupon-books?limit=2&cursor=${first.body.nextCursor}`)
        .set(chief)
        .expect(200);
      expect(second.body.items[0].couponBookId).toBe(made[0].couponBookId);
      expect((await http().get('/v1/admin/coupon-books?limit=0').set(chief)).status).toBe(400);
      const missing = await http().get('/v1/admin/coupon-books/nope').set(chief);
      expect([missing.status, missing.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('uploads', () => {
    it('adds new codes, counts repeats and codes that exist anywhere as duplicates', async () => {
      const a = await createBook(http, chief);
      const b = await createBook(http, chief);
      const up = (id: string, codes: string[]) =>
        http().post(`/v1/admin/coupon-books/${id}/codes`).set(chief).send({ codes });
      expect((await up(a.couponBookId, ['UP-1', 'UP-2', 'UP-1'])).body).toEqual({ added: 2, duplicates: 1 });
      expect((await up(a.couponBookId, ['UP-2', 'UP-3'])).body).toEqual({ added: 1, duplicates: 1 });
      expect((await up(b.couponBookId, ['UP-3', 'UP-4'])).body).toEqual({ added: 1, duplicates: 1 });
      expect((await book(a.couponBookId)).stats).toEqual({ total: 3, assigned: 0, redeemed: 0 });
      expect((await book(b.couponBookId)).stats.total).toBe(1);
      expect(await db.collection('coupon_codes').countDocuments({ couponBookId: a.couponBookId })).toBe(3);
      const entry = await auditEntry(
        (e) =>
          e.payload.action === 'coupon-book.codes.upload' &&
          e.payload.target === `coupon-book:${b.couponBookId}`,
      );
      expect(entry.payload.details).toEqual({ received: 2, added: 1 });
    });

    it('rejects empty, oversized and malformed uploads, and an unknown book', async () => {
      const a = await createBook(http, chief);
      const up = (codes: unknown) =>
        http().post(`/v1/admin/coupon-books/${a.couponBookId}/codes`).set(chief).send({ codes });
      for (const bad of [[], ['has space'], ['a/b'], ['x'.repeat(65)], [1], Array(10_001).fill('A')]) {
        const res = await up(bad);
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      const res = await http()
        .post('/v1/admin/coupon-books/nope/codes')
        .set(chief)
        .send({ codes: ['Q1'] });
      expect(res.status).toBe(404);
    });
  });

  describe('generation', () => {
    it('queues a job (202), the worker generates exactly `count` pattern codes, and reports progress', async () => {
      const b = await createBook(http, chief, { codePattern: 'GEN-####-####' });
      const res = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count: 12_345 })
        .expect(202);
      expect(res.body).toEqual({ jobId: expect.any(String), status: 'QUEUED' });
      const job = await waitForJob(http, chief, res.body.jobId);
      expect(job).toMatchObject({
        jobId: res.body.jobId,
        couponBookId: b.couponBookId,
        status: 'COMPLETED',
        requested: 12_345,
        generated: 12_345,
        pattern: 'GEN-####-####',
      });
      expect(job.codesPerSecond).toBeGreaterThan(0);
      expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt).getTime());
      expect((await book(b.couponBookId)).stats).toEqual({ total: 12_345, assigned: 0, redeemed: 0 });
      const codes = db.collection('coupon_codes');
      expect(await codes.countDocuments({ couponBookId: b.couponBookId })).toBe(12_345);
      const sample = await codes.find({ couponBookId: b.couponBookId }).limit(200).toArray();
      for (const c of sample) expect(c._id).toMatch(/^GEN-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      const entry = await auditEntry((e) => e.payload.action === 'coupon-book.generation-job.create');
      expect(entry.payload).toMatchObject({ actorId: adminId, target: `coupon-book:${b.couponBookId}` });
    });

    it('tops up collisions: a job on a nearly full pattern still ends at exactly `count`', async () => {
      // 2 slots of a 32-character charset: 1024 codes; 400 of them taken by an earlier job.
      const b = await createBook(http, chief, { codePattern: 'T##' });
      const first = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count: 400 })
        .expect(202);
      await waitForJob(http, chief, first.body.jobId);
      const second = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count: 300 })
        .expect(202);
      expect((await waitForJob(http, chief, second.body.jobId)).generated).toBe(300);
      expect(await db.collection('coupon_codes').countDocuments({ couponBookId: b.couponBookId })).toBe(700);
      expect((await book(b.couponBookId)).stats.total).toBe(700);
    });

    it('refuses a pattern that cannot comfortably give `count` new codes: 422 PATTERN_CAPACITY with capacity', async () => {
      const b = await createBook(http, chief);
      const res = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count: 600, pattern: 'X##' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'PATTERN_CAPACITY', capacity: 1024 });
      expect(
        await db.collection('coupon_generation_jobs').countDocuments({ couponBookId: b.couponBookId }),
      ).toBe(0);
    });

    it('counts the codes of the pattern in every book: a pattern used up elsewhere is 422, not a job that fails', async () => {
      // 'CAPX-##' over the charset XY makes 4 codes, and another book holds all of them (beside two
      // codes that share the prefix but can't be made by the pattern).
      const holder = await createBook(http, chief, { charset: 'XY' });
      const taken = ['CAPX-XX', 'CAPX-XY', 'CAPX-YX', 'CAPX-YY', 'CAPX-XZ', 'CAPX-XXX'];
      await http()
        .post(`/v1/admin/coupon-books/${holder.couponBookId}/codes`)
        .set(chief)
        .send({ codes: taken })
        .expect(200);
      const b = await createBook(http, chief, { charset: 'XY' });
      const res = await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
        .set(chief)
        .send({ count: 1, pattern: 'CAPX-##' });
      expect([res.status, res.body.code]).toEqual([422, 'PATTERN_CAPACITY']);
      expect(res.body).toMatchObject({ capacity: 4, existing: 4, requested: 1 });
      expect(
        await db.collection('coupon_generation_jobs').countDocuments({ couponBookId: b.couponBookId }),
      ).toBe(0);
    });

    it('counts only the codes that match the pattern: codes of another shape in the book use none of it', async () => {
      // 'FREE-####' over XY makes 16 codes, none made yet; the book holds 20 codes of another shape.
      const b = await createBook(http, chief, { charset: 'XY' });
      await uploadCodes(http, chief, b.couponBookId, 20);
      const jobs = `/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`;
      const res = await http().post(jobs).set(chief).send({ count: 4, pattern: 'FREE-####' }).expect(202);
      expect(await waitForJob(http, chief, res.body.jobId)).toMatchObject({
        status: 'COMPLETED',
        generated: 4,
      });
      expect((await book(b.couponBookId)).stats.total).toBe(24);
      // 12 of the 16 are free now: a job may take half of them, 6, and no more.
      const over = await http().post(jobs).set(chief).send({ count: 7, pattern: 'FREE-####' });
      expect([over.status, over.body.code]).toEqual([422, 'PATTERN_CAPACITY']);
      expect(over.body).toMatchObject({ capacity: 16, existing: 4, requested: 7 });
      await http().post(jobs).set(chief).send({ count: 6, pattern: 'FREE-####' }).expect(202);
    });

    it('validates count and pattern; an unknown book or job is 404', async () => {
      const b = await createBook(http, chief);
      for (const body of [
        {},
        { count: 0 },
        { count: 1.5 },
        { count: 10_000_001 },
        { count: 5, pattern: 'ABC' },
      ]) {
        const res = await http()
          .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
          .set(chief)
          .send(body);
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      }
      expect(
        (await http().post('/v1/admin/coupon-books/nope/generation-jobs').set(chief).send({ count: 1 }))
          .status,
      ).toBe(404);
      expect((await http().get('/v1/admin/generation-jobs/nope').set(chief)).status).toBe(404);
    });

    it('lists jobs newest first, filtered by book and status, in pages', async () => {
      const b = await createBook(http, chief);
      const ids: string[] = [];
      for (const count of [10, 20, 30]) {
        const res = await http()
          .post(`/v1/admin/coupon-books/${b.couponBookId}/generation-jobs`)
          .set(chief)
          .send({ count })
          .expect(202);
        ids.push(res.body.jobId);
      }
      for (const id of ids) await waitForJob(http, chief, id);
      const page = await http()
        .get(`/v1/admin/generation-jobs?couponBookId=${b.couponBookId}&status=COMPLETED&limit=2`)
        .set(chief)
        .expect(200);
      expect(page.body.items.map((j: { jobId: string }) => j.jobId)).toEqual([ids[2], ids[1]]);
      const rest = await http()
        .get(
          `/v1/admin/generation-jobs?couponBookId=${b.couponBookId}&limit=2&cursor=${page.body.nextCursor}`,
        )
        .set(chief)
        .expect(200);
      expect(rest.body).toEqual({
        items: [expect.objectContaining({ jobId: ids[0] })],
        nextCursor: null,
        total: 3,
      });
      const none = await http()
        .get(`/v1/admin/generation-jobs?couponBookId=${b.couponBookId}&status=FAILED`)
        .set(chief)
        .expect(200);
      expect(none.body.items).toEqual([]);
      expect((await http().get('/v1/admin/generation-jobs?status=DONE').set(chief)).status).toBe(400);
    });
  });

  describe('assignment', () => {
    it('hands out a random unassigned code, shows it in /coupons/me, and counts it', async () => {
      const b = await createBook(http, chief);
      const codes = await uploadCodes(http, chief, b.couponBookId, 5);
      const res = await http()
        .post(`/v1/coupon-books/${b.couponBookId}/assignments`)
        .set(alice.auth)
        .expect(201);
      expect(res.body).toEqual({
        code: expect.any(String),
        couponBookId: b.couponBookId,
        assignedAt: expect.any(String),
      });
      expect(codes).toContain(res.body.code);
      const mine = await http().get('/v1/coupons/me').set(alice.auth).expect(200);
      expect(mine.body.items).toContainEqual({
        code: res.body.code,
        couponBookId: b.couponBookId,
        assignedAt: res.body.assignedAt,
        redemptionCount: 0,
        status: 'ASSIGNED',
      });
      const bobs = await http().get('/v1/coupons/me').set(bob.auth).expect(200);
      expect(bobs.body.items.map((c: { code: string }) => c.code)).not.toContain(res.body.code);
      expect((await book(b.couponBookId)).stats).toEqual({ total: 5, assigned: 1, redeemed: 0 });
    });

    it('enforces maxCodesPerUser (422), then NO_CODES_AVAILABLE (409) once the book is empty', async () => {
      const b = await createBook(http, chief, { maxCodesPerUser: 2 });
      await uploadCodes(http, chief, b.couponBookId, 3);
      const assign = (auth: Auth) => http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(auth);
      expect((await assign(alice.auth)).status).toBe(201);
      expect((await assign(alice.auth)).status).toBe(201);
      const limited = await assign(alice.auth);
      expect([limited.status, limited.body.code]).toEqual([422, 'MAX_CODES_PER_USER']);
      // The refused take left the member's count where the limit is, not one past it.
      const holder = await db
        .collection('coupon_holders')
        .findOne({ _id: `${b.couponBookId}:${alice.userId}` as never });
      expect(holder).toMatchObject({ codes: 2, redemptions: 0 });
      expect((await assign(bob.auth)).status).toBe(201);
      const empty = await assign(bob.auth);
      expect([empty.status, empty.body.code]).toEqual([409, 'NO_CODES_AVAILABLE']);
      expect((await book(b.couponBookId)).stats).toEqual({ total: 3, assigned: 3, redeemed: 0 });
    });

    it('refuses books that are inactive, not started or ended with 410; an unknown book is 404', async () => {
      const day = 86_400_000;
      const inactive = await createBook(http, chief, { active: false });
      const future = await createBook(http, chief, { startsAt: new Date(Date.now() + day).toISOString() });
      const past = await createBook(http, chief, {
        startsAt: new Date(Date.now() - 2 * day).toISOString(),
        endsAt: new Date(Date.now() - day).toISOString(),
      });
      for (const b of [inactive, future, past]) {
        await uploadCodes(http, chief, b.couponBookId, 1);
        const res = await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(alice.auth);
        expect([res.status, res.body.code]).toEqual([410, 'COUPON_BOOK_INACTIVE']);
      }
      expect((await http().post('/v1/coupon-books/nope/assignments').set(alice.auth)).status).toBe(404);
    });
  });

  describe('locks and redemptions', () => {
    const assigned = async (auth: Auth, fields: Record<string, unknown> = {}) => {
      const b = await createBook(http, chief, fields);
      await uploadCodes(http, chief, b.couponBookId, 1);
      const res = await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(auth).expect(201);
      return { couponBookId: b.couponBookId, code: res.body.code as string };
    };
    const lock = (auth: Auth, code: string, body: Record<string, unknown> = {}) =>
      http().post(`/v1/coupons/${code}/lock`).set(auth).send(body);
    const redeem = (auth: Auth, code: string, body: Record<string, unknown>) =>
      http().post(`/v1/coupons/${code}/redemptions`).set(auth).send(body);

    it('lock → redeem → log entry; the code is then REDEEMED and cannot be locked or redeemed again', async () => {
      const { code, couponBookId } = await assigned(alice.auth);
      const locked = await lock(alice.auth, code).expect(200);
      expect(locked.body).toEqual({ code, lockToken: expect.any(String), lockedUntil: expect.any(String) });
      const ttl = new Date(locked.body.lockedUntil).getTime() - Date.now();
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
      expect((await http().get('/v1/coupons/me').set(alice.auth)).body.items).toContainEqual(
        expect.objectContaining({ code, status: 'LOCKED' }),
      );

      const res = await redeem(alice.auth, code, {
        lockToken: locked.body.lockToken,
        orderId: 'order-1',
      }).expect(201);
      expect(res.body).toEqual({
        code,
        redeemedAt: expect.any(String),
        transactionId: expect.any(String),
        orderId: 'order-1',
      });
      const entry = await db
        .collection('coupon_redemptions')
        .findOne({ _id: res.body.transactionId as never });
      expect(entry).toMatchObject({ code, couponBookId, userId: alice.userId, orderId: 'order-1' });

      const again = await redeem(alice.auth, code, { lockToken: locked.body.lockToken });
      expect([again.status, again.body.code]).toEqual([409, 'COUPON_ALREADY_REDEEMED']);
      const relock = await lock(alice.auth, code);
      expect([relock.status, relock.body.code]).toEqual([409, 'COUPON_ALREADY_REDEEMED']);
      expect((await http().get('/v1/coupons/me').set(alice.auth)).body.items).toContainEqual(
        expect.objectContaining({ code, status: 'REDEEMED', redemptionCount: 1 }),
      );
      expect((await book(couponBookId)).stats).toEqual({ total: 1, assigned: 1, redeemed: 1 });
      expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(1);
    });

    it('only the assignee may lock or redeem (others get 404); a live lock is COUPON_LOCKED', async () => {
      const { code } = await assigned(alice.auth);
      for (const res of [await lock(bob.auth, code), await lock(bob.auth, 'NO-SUCH-CODE')]) {
        expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
      }
      const locked = await lock(alice.auth, code, { seconds: 60 }).expect(200);
      const second = await lock(alice.auth, code);
      expect([second.status, second.body.code]).toEqual([409, 'COUPON_LOCKED']);
      const stolen = await redeem(bob.auth, code, { lockToken: locked.body.lockToken });
      expect(stolen.status).toBe(404);
      const release = await http()
        .delete(`/v1/coupons/${code}/lock`)
        .set(bob.auth)
        .set('Lock-Token', locked.body.lockToken);
      expect(release.status).toBe(404);
      expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(0);
    });

    it('release frees the lock (204) for a new one, and the released token can no longer redeem', async () => {
      const { code } = await assigned(alice.auth);
      const first = await lock(alice.auth, code).expect(200);
      await http()
        .delete(`/v1/coupons/${code}/lock`)
        .set(alice.auth)
        .set('Lock-Token', first.body.lockToken)
        .expect(204);
      const gone = await redeem(alice.auth, code, { lockToken: first.body.lockToken });
      expect([gone.status, gone.body.code]).toEqual([409, 'LOCK_REQUIRED']);
      // No body at all: `seconds` is optional, and so is the body.
      const second = await http().post(`/v1/coupons/${code}/lock`).set(alice.auth).expect(200);
      expect(second.body.lockToken).not.toBe(first.body.lockToken);
      // Releasing with the old token must not free the new lock, and says so.
      const stale = await http()
        .delete(`/v1/coupons/${code}/lock`)
        .set(alice.auth)
        .set('Lock-Token', first.body.lockToken);
      expect([stale.status, stale.body.code]).toEqual([409, 'LOCK_REQUIRED']);
      expect((await lock(alice.auth, code)).body.code).toBe('COUPON_LOCKED');
      const noHeader = await http().delete(`/v1/coupons/${code}/lock`).set(alice.auth);
      expect([noHeader.status, noHeader.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      await redeem(alice.auth, code, { lockToken: second.body.lockToken }).expect(201);
    });

    it('release with a token that does not hold the live lock is 409 LOCK_REQUIRED; with no live lock it is 204', async () => {
      const { code } = await assigned(alice.auth);
      const release = (lockToken: string) =>
        http().delete(`/v1/coupons/${code}/lock`).set(alice.auth).set('Lock-Token', lockToken);
      const locked = await lock(alice.auth, code, { seconds: 1 }).expect(200);
      const [fence, secret] = locked.body.lockToken.split('.');
      for (const token of [`${fence}.BBBBBBBBBBBBBBBBBBBBBB`, `${Number(fence) + 1}.${secret}`, 'garbage']) {
        const res = await release(token);
        expect([token, res.status, res.body.code]).toEqual([token, 409, 'LOCK_REQUIRED']);
      }
      // Nothing was released: the lock still stands.
      expect((await lock(alice.auth, code)).body.code).toBe('COUPON_LOCKED');
      // Once it has expired there is nothing to release, whatever the token: 204.
      await new Promise((r) => setTimeout(r, 1300));
      await release(locked.body.lockToken).expect(204);
      await release('garbage').expect(204);
      // The holder's own release is 204, and so is releasing it again.
      const next = await lock(alice.auth, code).expect(200);
      await release(next.body.lockToken).expect(204);
      await release(next.body.lockToken).expect(204);
      expect((await lock(alice.auth, code)).status).toBe(200);
    });

    it('redeeming needs the right, live lock: none, wrong or malformed tokens are LOCK_REQUIRED', async () => {
      const { code } = await assigned(alice.auth);
      const none = await redeem(alice.auth, code, { lockToken: '1.AAAAAAAAAAAAAAAAAAAAAA' });
      expect([none.status, none.body.code]).toEqual([409, 'LOCK_REQUIRED']);
      const locked = await lock(alice.auth, code).expect(200);
      const [fence] = locked.body.lockToken.split('.');
      for (const lockToken of [
        `${fence}.BBBBBBBBBBBBBBBBBBBBBB`,
        'garbage',
        `${Number(fence) + 1}.${locked.body.lockToken.split('.')[1]}`,
      ]) {
        const res = await redeem(alice.auth, code, { lockToken });
        expect([lockToken, res.status, res.body.code]).toEqual([lockToken, 409, 'LOCK_REQUIRED']);
      }
      const bad = await redeem(alice.auth, code, { lockToken: locked.body.lockToken, extra: true });
      expect(bad.status).toBe(400);
      for (const seconds of [0, 901, 'x']) {
        expect((await lock(alice.auth, code, { seconds })).status).toBe(400);
      }
      expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(0);
    });

    it('refuses a lock that expired before the redeem', async () => {
      const { code } = await assigned(alice.auth);
      const locked = await lock(alice.auth, code, { seconds: 1 }).expect(200);
      await new Promise((r) => setTimeout(r, 1300));
      const res = await redeem(alice.auth, code, { lockToken: locked.body.lockToken });
      expect([res.status, res.body.code]).toEqual([409, 'LOCK_REQUIRED']);
      expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(0);
      expect(
        (await db.collection('coupon_codes').findOne({ _id: code as never }))?.redemptionCount,
      ).toBeUndefined();
    });

    it('allowMultipleRedemptions lets a code be redeemed again, up to maxRedemptionsPerUser', async () => {
      const { code, couponBookId } = await assigned(alice.auth, {
        allowMultipleRedemptions: true,
        maxRedemptionsPerUser: 2,
      });
      for (let i = 0; i < 2; i++) {
        const locked = await lock(alice.auth, code).expect(200);
        await redeem(alice.auth, code, { lockToken: locked.body.lockToken }).expect(201);
      }
      const third = await lock(alice.auth, code);
      expect([third.status, third.body.code]).toEqual([409, 'COUPON_ALREADY_REDEEMED']);
      expect(await db.collection('coupon_redemptions').countDocuments({ code })).toBe(2);
      expect((await book(couponBookId)).stats.redeemed).toBe(1);
    });

    it('a code of a book that has been deactivated cannot be locked', async () => {
      const { code, couponBookId } = await assigned(alice.auth);
      await db
        .collection('coupon_books')
        .updateOne({ _id: couponBookId as never }, { $set: { active: false } });
      const res = await lock(alice.auth, code);
      expect([res.status, res.body.code]).toEqual([410, 'COUPON_BOOK_INACTIVE']);
    });
  });

  describe('admin stats', () => {
    it('runningJobs lists QUEUED and RUNNING jobs, each with its status, and no finished one', async () => {
      const b = await createBook(http, chief);
      const job = (jobId: string, status: string, generated: number, createdAt: Date) => ({
        _id: jobId,
        couponBookId: b.couponBookId,
        status,
        requested: 100,
        generated,
        pattern: 'STAT-########',
        charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
        createdBy: adminId,
        createdAt,
        startedAt: status === 'QUEUED' ? null : createdAt,
        finishedAt: status === 'COMPLETED' ? createdAt : null,
        // Held by a worker elsewhere for a while: this file's worker leaves it alone.
        owner: status === 'RUNNING' ? 'worker-elsewhere' : null,
        leaseUntil: status === 'RUNNING' ? new Date(Date.now() + 600_000) : null,
        error: null,
      });
      const ids = {
        queued: `q-${b.couponBookId}`,
        running: `r-${b.couponBookId}`,
        done: `c-${b.couponBookId}`,
      };
      const jobsCollection = db.collection('coupon_generation_jobs');
      await jobsCollection.insertMany([
        // Oldest first in the list: the queued job here, then the running one.
        job(ids.queued, 'QUEUED', 0, new Date(Date.now() - 2000)),
        job(ids.running, 'RUNNING', 40, new Date(Date.now() - 1000)),
        job(ids.done, 'COMPLETED', 100, new Date()),
      ] as never[]);
      try {
        const res = await http().get('/v1/admin/stats').set(chief).expect(200);
        const ours = (res.body.runningJobs as Array<{ couponBookId: string }>).filter(
          (j) => j.couponBookId === b.couponBookId,
        );
        const couponBookName = (await book(b.couponBookId)).name;
        expect(ours).toEqual([
          {
            jobId: ids.queued,
            couponBookId: b.couponBookId,
            couponBookName,
            status: 'QUEUED',
            requested: 100,
            generated: 0,
          },
          {
            jobId: ids.running,
            couponBookId: b.couponBookId,
            couponBookName,
            status: 'RUNNING',
            requested: 100,
            generated: 40,
          },
        ]);
      } finally {
        await jobsCollection.deleteMany({ couponBookId: b.couponBookId });
      }
    });
  });
});
