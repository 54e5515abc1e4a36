/**
 * What the latency benchmark's paths need, made through the public API as a client would: a till
 * (an API client with `purchases:write`), members with points, and a coupon book with codes.
 */
const PASSWORD = 'correct-horse-battery';
/** The most codes one upload takes (API.md). */
const UPLOAD_CHUNK = 10_000;

export class BenchApi {
  constructor(private readonly port: number) {}

  async call(
    method: 'GET' | 'POST',
    path: string,
    expect: number,
    token?: string,
    body?: unknown,
  ): Promise<Record<string, any>> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

export async function adminToken(api: BenchApi, admin: { username: string; password: string }) {
  return (await api.call('POST', '/v1/auth/login', 200, undefined, admin)).accessToken as string;
}

/** The till: an API client with `purchases:write`, its token from the client-credentials grant. */
export async function setUpTill(port: number, admin: string): Promise<string> {
  const api = new BenchApi(port);
  const created = await api.call('POST', '/v1/admin/api-clients', 201, admin, {
    name: 'latency bench till',
    scopes: ['purchases:write'],
  });
  const basic = Buffer.from(`${String(created.clientId)}:${String(created.clientSecret)}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${port}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`POST /v1/oauth/token: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token as string;
}

export interface Member {
  userId: string;
  token: string;
}

/**
 * `count` members, one group each, logged in, each funded by one big purchase of the till's (its
 * points outlast every redemption of the run). Eight at a time: argon2 bounds registration.
 */
export async function setUpMembers(port: number, runId: string, count: number, till: string) {
  const api = new BenchApi(port);
  const members = new Array<Member>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const username = `lat${runId}.u${i}`;
      const reg = await api.call('POST', '/v1/auth/register', 201, undefined, {
        username,
        password: PASSWORD,
        email: `${username}@example.com`,
      });
      const login = await api.call('POST', '/v1/auth/login', 200, undefined, {
        username,
        password: PASSWORD,
      });
      members[i] = { userId: reg.userId as string, token: login.accessToken as string };
      await api.call('POST', '/v1/purchases', 201, till, {
        purchaseId: `fund-${runId}-${i}`,
        userId: members[i].userId,
        amount: '900000000.00',
        occurredAt: '2020-01-01T00:00:00Z',
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return members;
}

/** A coupon book, no per-member limit, with `codes` codes uploaded through the admin API. */
export async function setUpCouponBook(port: number, admin: string, runId: string, codes: number) {
  const api = new BenchApi(port);
  const book = await api.call('POST', '/v1/admin/coupon-books', 201, admin, { name: `latency ${runId}` });
  const couponBookId = book.couponBookId as string;
  await addCodes(port, admin, couponBookId, `${runId}-0`, codes);
  return couponBookId;
}

/** Uploads `count` new codes (named `L<batch>-<n>`) to a book, 10,000 per request. */
export async function addCodes(
  port: number,
  admin: string,
  couponBookId: string,
  batch: string,
  count: number,
) {
  const api = new BenchApi(port);
  for (let from = 0; from < count; from += UPLOAD_CHUNK) {
    const codes = Array.from(
      { length: Math.min(UPLOAD_CHUNK, count - from) },
      (_, k) => `L${batch}-${from + k}`,
    );
    const res = await api.call('POST', `/v1/admin/coupon-books/${couponBookId}/codes`, 200, admin, { codes });
    if (res.added !== codes.length) throw new Error(`code upload: ${JSON.stringify(res)}`);
  }
}

/** Codes of a book not yet assigned. */
export async function unassignedCodes(port: number, admin: string, couponBookId: string): Promise<number> {
  const book = await new BenchApi(port).call('GET', `/v1/admin/coupon-books/${couponBookId}`, 200, admin);
  return Number(book.stats.total) - Number(book.stats.assigned);
}
