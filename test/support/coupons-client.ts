import type request from 'supertest';
import { waitFor } from '@lib/testing';

type Http = () => ReturnType<typeof request>;
type Auth = Record<string, string>;

/** Creates a coupon book as the admin; returns its body. */
export async function createBook(http: Http, admin: Auth, fields: Record<string, unknown> = {}) {
  const res = await http()
    .post('/v1/admin/coupon-books')
    .set(admin)
    .send({ name: `book ${Math.random().toString(36).slice(2, 8)}`, ...fields });
  if (res.status !== 201) throw new Error(`create book: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    couponBookId: string;
    name: string;
    stats: { total: number; assigned: number; redeemed: number };
  };
}

/** Uploads `count` fresh codes with a unique prefix; returns the codes. */
export async function uploadCodes(http: Http, admin: Auth, couponBookId: string, count: number) {
  const prefix = Math.random().toString(36).slice(2, 10).toUpperCase();
  const codes = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const res = await http().post(`/v1/admin/coupon-books/${couponBookId}/codes`).set(admin).send({ codes });
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return codes;
}

/** Polls the job until it is COMPLETED or FAILED; returns its status body. */
export async function waitForJob(http: Http, admin: Auth, jobId: string, timeoutMs = 60000) {
  return waitFor(
    `job ${jobId} to finish`,
    async () => {
      const res = await http().get(`/v1/admin/generation-jobs/${jobId}`).set(admin);
      return ['COMPLETED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    },
    timeoutMs,
    100,
  );
}
