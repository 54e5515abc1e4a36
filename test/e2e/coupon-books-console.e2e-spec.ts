import mongoose from 'mongoose';
import { EVENTS } from '@lib/contracts';
import { TestIsolation, waitFor } from '@lib/testing';
import { GENERATION_CONSUMER } from '../../apps/coupon-worker/src/generation/run-generation/run-generation.consumer';
import { createBook, uploadCodes, waitForJob } from '../support/coupons-client';
import { EventTap } from '../support/event-tap';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PlatformStack, serviceDatabase, startPlatformStack } from '../support/stack';

type Auth = Record<string, string>;
type Res = { status: number; headers: Record<string, string>; body: any; text: string };

/**
 * What the console shows of coupon books and campaigns (issue 22): book names on jobs, totals on
 * every list, the same live figures in a book's list row and its detail, the campaign that blocks
 * a create named, switching a book off and on, and a book's codes as a streamed CSV file.
 */
describe('coupon books and campaigns for the console: names, totals, figures, deactivation, CSV (e2e)', () => {
  const iso = new TestIsolation('couponconsole');
  let stack: PlatformStack;
  let db: mongoose.Connection;
  let audit: EventTap;
  let chief: Auth;
  let adminId: string;
  let alice: Awaited<ReturnType<typeof member>>;

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
    alice = await member(stack.http);
  });

  afterAll(async () => {
    await audit?.close();
    await db?.close();
    await stack?.close();
    await iso.cleanup();
  });

  const http = () => stack.http();
  const seen: Array<{ payload: Record<string, any> }> = [];
  const auditEntry = (match: (e: { payload: Record<string, any> }) => boolean) =>
    waitFor('the audit event', async () => {
      seen.push(...(await audit.drain()));
      return seen.find(match);
    });
  const problem = (res: Res, status: number, code: string) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };
  const generate = async (couponBookId: string, count: number) => {
    const res = await http()
      .post(`/v1/admin/coupon-books/${couponBookId}/generation-jobs`)
      .set(chief)
      .send({ count })
      .expect(202);
    return waitForJob(http, chief, res.body.jobId, 120_000);
  };
  const exportOf = (couponBookId: string, auth: Auth = chief) =>
    http().get(`/v1/admin/coupon-books/${couponBookId}/codes/export`).set(auth).buffer(true);

  describe('book names on generation jobs', () => {
    it("every view of a job names its book: get, list, and the dashboard's running jobs", async () => {
      const b = await createBook(http, chief, { name: 'Autumn names' });
      const job = await generate(b.couponBookId, 10);
      expect(job).toMatchObject({ couponBookId: b.couponBookId, couponBookName: 'Autumn names' });
      const list = await http()
        .get(`/v1/admin/generation-jobs?couponBookId=${b.couponBookId}`)
        .set(chief)
        .expect(200);
      expect(list.body.items).toEqual([expect.objectContaining({ couponBookName: 'Autumn names' })]);

      // A job another worker holds (an old job, stored before names were shown: none is stored).
      const other = await createBook(http, chief, { name: 'Held by another worker' });
      const jobId = `held-${other.couponBookId}`;
      await db.collection('coupon_generation_jobs').insertOne({
        _id: jobId as never,
        couponBookId: other.couponBookId,
        status: 'RUNNING',
        requested: 100,
        generated: 40,
        pattern: '########',
        charset: 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789',
        createdBy: adminId,
        createdAt: new Date(),
        startedAt: new Date(),
        finishedAt: null,
        owner: 'worker-elsewhere',
        leaseUntil: new Date(Date.now() + 3_600_000),
        error: null,
      });
      const stats = await http().get('/v1/admin/stats').set(chief).expect(200);
      expect(stats.body.runningJobs).toContainEqual({
        jobId,
        couponBookId: other.couponBookId,
        couponBookName: 'Held by another worker',
        status: 'RUNNING',
        requested: 100,
        generated: 40,
      });
      const held = await http().get(`/v1/admin/generation-jobs/${jobId}`).set(chief).expect(200);
      expect(held.body.couponBookName).toBe('Held by another worker');
      await db.collection('coupon_generation_jobs').deleteOne({ _id: jobId as never });
    });
  });

  describe('totals', () => {
    it('books, jobs and campaigns say how many match in all, the same on every page', async () => {
      const b = await createBook(http, chief);
      for (const count of [5, 6, 7]) await generate(b.couponBookId, count);
      const jobs = await http()
        .get(`/v1/admin/generation-jobs?couponBookId=${b.couponBookId}&limit=2`)
        .set(chief)
        .expect(200);
      expect([jobs.body.items.length, jobs.body.total]).toEqual([2, 3]);
      const failed = await http()
        .get(`/v1/admin/generation-jobs?couponBookId=${b.couponBookId}&status=FAILED`)
        .set(chief)
        .expect(200);
      expect(failed.body).toEqual({ items: [], nextCursor: null, total: 0 });

      const books = await db.collection('coupon_books').countDocuments();
      const first = await http().get('/v1/admin/coupon-books?limit=1').set(chief).expect(200);
      const second = await http()
        .get(`/v1/admin/coupon-books?limit=1&cursor=${first.body.nextCursor}`)
        .set(chief)
        .expect(200);
      expect([first.body.total, second.body.total]).toEqual([books, books]);

      for (const year of [2031, 2032]) {
        await http()
          .post('/v1/admin/campaigns')
          .set(chief)
          .send({
            name: `Totals ${year}`,
            discountPercent: 10,
            voucherLimit: 5,
            trigger: 'FIRST_LOGIN',
            startsAt: `${year}-01-01T00:00:00Z`,
            endsAt: `${year}-02-01T00:00:00Z`,
          })
          .expect(201);
      }
      const campaigns = await db.collection('campaigns').countDocuments();
      expect(campaigns).toBeGreaterThanOrEqual(2);
      const page = await http().get('/v1/admin/campaigns?limit=1').set(chief).expect(200);
      expect([page.body.items.length, page.body.total]).toEqual([1, campaigns]);
    });
  });

  describe('live figures', () => {
    it("a book's list row and its detail show the same stats after uploads, generation and an assignment", async () => {
      const b = await createBook(http, chief, { name: 'Figures' });
      await uploadCodes(http, chief, b.couponBookId, 5);
      await generate(b.couponBookId, 3000);
      await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(alice.auth).expect(201);
      const detail = (await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief).expect(200))
        .body;
      const list = (await http().get('/v1/admin/coupon-books?limit=100').set(chief).expect(200)).body;
      const row = list.items.find((i: { couponBookId: string }) => i.couponBookId === b.couponBookId);
      expect(detail.stats).toEqual({ total: 3005, assigned: 1, redeemed: 0 });
      expect(row.stats).toEqual(detail.stats);
      expect(await db.collection('coupon_codes').countDocuments({ couponBookId: b.couponBookId })).toBe(3005);
    });
  });

  describe('campaign conflicts', () => {
    it('names the active campaign that blocks a create, in the problem and in its detail', async () => {
      const spring = await http()
        .post('/v1/admin/campaigns')
        .set(chief)
        .send({
          name: 'Spring welcome',
          discountPercent: 20,
          voucherLimit: 10,
          trigger: 'FIRST_LOGIN',
          startsAt: '2033-03-01T00:00:00Z',
          endsAt: '2033-04-01T00:00:00Z',
        })
        .expect(201);
      const res = await http().post('/v1/admin/campaigns').set(chief).send({
        name: 'Overlapping',
        discountPercent: 20,
        voucherLimit: 10,
        trigger: 'FIRST_LOGIN',
        startsAt: '2033-03-15T00:00:00Z',
        endsAt: '2033-05-01T00:00:00Z',
      });
      problem(res, 409, 'CAMPAIGN_CONFLICT');
      expect(res.body.conflictingCampaign).toEqual({
        campaignId: spring.body.campaignId,
        name: 'Spring welcome',
      });
      expect(res.body.conflictingCampaignId).toBe(spring.body.campaignId);
      expect(res.body.detail).toContain('Campaign "Spring welcome" is active over those dates');
    });
  });

  describe('switching a book off and on', () => {
    it('INACTIVE stops assignments (410) until it is ACTIVE again; each change is audited', async () => {
      const b = await createBook(http, chief, { name: 'Switchable' });
      expect((await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.status).toBe(
        'ACTIVE',
      );
      await uploadCodes(http, chief, b.couponBookId, 3);
      // Assigned from once while on: promotion remembers the book it read, and the switch must
      // still be seen by the very next assignment.
      await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(alice.auth).expect(201);
      const off = await http()
        .patch(`/v1/admin/coupon-books/${b.couponBookId}`)
        .set(chief)
        .send({ status: 'INACTIVE' })
        .expect(200);
      expect(off.body).toMatchObject({
        couponBookId: b.couponBookId,
        name: 'Switchable',
        status: 'INACTIVE',
        active: false,
        stats: { total: 3, assigned: 1, redeemed: 0 },
      });
      const refused = await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(alice.auth);
      problem(refused, 410, 'COUPON_BOOK_INACTIVE');
      const entry = await auditEntry(
        (e) =>
          e.payload.action === 'coupon-book.update' && e.payload.target === `coupon-book:${b.couponBookId}`,
      );
      expect(entry.payload).toMatchObject({
        actorId: adminId,
        details: { before: { status: 'ACTIVE' }, after: { status: 'INACTIVE' } },
      });

      const on = await http()
        .patch(`/v1/admin/coupon-books/${b.couponBookId}`)
        .set(chief)
        .send({ status: 'ACTIVE' })
        .expect(200);
      expect([on.body.status, on.body.active]).toEqual(['ACTIVE', true]);
      await http().post(`/v1/coupon-books/${b.couponBookId}/assignments`).set(alice.auth).expect(201);
      const list = (await http().get('/v1/admin/coupon-books?limit=100').set(chief).expect(200)).body;
      expect(list.items.find((i: { couponBookId: string }) => i.couponBookId === b.couponBookId).status).toBe(
        'ACTIVE',
      );
      await auditEntry(
        (e) =>
          e.payload.action === 'coupon-book.update' &&
          e.payload.target === `coupon-book:${b.couponBookId}` &&
          e.payload.details.after.status === 'ACTIVE',
      );
    });

    it('refuses bad bodies naming the field, an unknown book with 404, and non-admins', async () => {
      const b = await createBook(http, chief);
      const patch = (body?: object, id = b.couponBookId) => {
        const req = http().patch(`/v1/admin/coupon-books/${id}`).set(chief);
        return body === undefined ? req : req.send(body);
      };
      const cases: Array<[object | undefined, string]> = [
        [{}, 'status'],
        [{ status: 'PAUSED' }, 'status'],
        [{ status: 'inactive' }, 'status'],
        [{ status: null }, 'status'],
        [{ status: 'INACTIVE', name: 'renamed' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await patch(body);
        expect([JSON.stringify(body), res.status, res.body.code]).toEqual([
          JSON.stringify(body),
          400,
          'VALIDATION_FAILED',
        ]);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const bare = await patch(undefined);
      expect([bare.status, bare.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      problem(await patch({ status: 'INACTIVE' }, 'no-such-book'), 404, 'NOT_FOUND');
      problem(
        await http().patch(`/v1/admin/coupon-books/${b.couponBookId}`).send({ status: 'INACTIVE' }),
        401,
        'UNAUTHENTICATED',
      );
      problem(
        await http()
          .patch(`/v1/admin/coupon-books/${b.couponBookId}`)
          .set(alice.auth)
          .send({ status: 'INACTIVE' }),
        403,
        'FORBIDDEN',
      );
      expect((await http().get(`/v1/admin/coupon-books/${b.couponBookId}`).set(chief)).body.status).toBe(
        'ACTIVE',
      );
    });
  });

  describe('CSV export of a book’s codes', () => {
    it('sends a header and one row per code in code order, escaping cells a spreadsheet would run', async () => {
      const b = await createBook(http, chief, { name: 'Summer Sale 2026!' });
      await http()
        .post(`/v1/admin/coupon-books/${b.couponBookId}/codes`)
        .set(chief)
        .send({ codes: ['SMALL-B', '-MINUS-1', 'SMALL-A'] })
        .expect(200);
      // Codes stored before today's upload rules: any text can be in the book.
      await db.collection('coupon_codes').insertMany([
        { _id: '=HYPERLINK("http://x")' as never, couponBookId: b.couponBookId, rank: 1, assignedTo: null },
        { _id: 'COMMA,CODE' as never, couponBookId: b.couponBookId, rank: 2, assignedTo: null },
      ]);
      const given = await http()
        .post(`/v1/coupon-books/${b.couponBookId}/assignments`)
        .set(alice.auth)
        .expect(201);

      const res = await exportOf(b.couponBookId).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="summer-sale-2026-codes.csv"');
      const cell: Record<string, string> = {
        '-MINUS-1': "'-MINUS-1",
        '=HYPERLINK("http://x")': `"'=HYPERLINK(""http://x"")"`,
        'COMMA,CODE': '"COMMA,CODE"',
        'SMALL-A': 'SMALL-A',
        'SMALL-B': 'SMALL-B',
      };
      const row = (code: string) =>
        code === given.body.code
          ? `${cell[code]},ASSIGNED,${alice.userId},${given.body.assignedAt},0`
          : `${cell[code]},AVAILABLE,,,0`;
      expect(res.text).toBe(
        [
          'code,status,assignedTo,assignedAt,redemptionCount',
          ...['-MINUS-1', '=HYPERLINK("http://x")', 'COMMA,CODE', 'SMALL-A', 'SMALL-B'].map(row),
          '',
        ].join('\r\n'),
      );
    });

    it('streams a book of 20,000 codes, over several pages, each code exactly once', async () => {
      const b = await createBook(http, chief, { name: 'Big book', codePattern: 'BIG-######' });
      const job = await generate(b.couponBookId, 20_000);
      expect(job.status).toBe('COMPLETED');
      const res = await exportOf(b.couponBookId).expect(200);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      const lines = res.text.split('\r\n');
      expect(lines.shift()).toBe('code,status,assignedTo,assignedAt,redemptionCount');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(20_000);
      const codes = lines.map((l) => l.split(',')[0]);
      expect(new Set(codes).size).toBe(20_000);
      expect(codes.every((c) => /^BIG-[A-Z2-9]{6}$/.test(c))).toBe(true);
      expect([...codes].sort()).toEqual(codes);
      expect(lines.every((l) => l.endsWith(',AVAILABLE,,,0'))).toBe(true);
    });

    it('is a 404 problem for an unknown book, and for admins only', async () => {
      problem(await exportOf('no-such-book'), 404, 'NOT_FOUND');
      const b = await createBook(http, chief);
      problem(
        await http().get(`/v1/admin/coupon-books/${b.couponBookId}/codes/export`),
        401,
        'UNAUTHENTICATED',
      );
      problem(await exportOf(b.couponBookId, alice.auth), 403, 'FORBIDDEN');
      const empty = await exportOf(b.couponBookId).expect(200);
      expect(empty.text).toBe('code,status,assignedTo,assignedAt,redemptionCount\r\n');
      const extra = await http()
        .get(`/v1/admin/coupon-books/${b.couponBookId}/codes/export?format=xlsx`)
        .set(chief);
      problem(extra, 400, 'VALIDATION_FAILED');
    });
  });
});
