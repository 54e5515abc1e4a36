import type mongoose from 'mongoose';
import type { RpcService } from '@lib/contracts';
import { DomainError } from '@lib/errors';
import type { RpcClient } from '@lib/messaging';
import { encodeCursor } from '@lib/paging';

/**
 * What the `<svc>-rpc-validation` tests share: malformed requests sent straight to a service's
 * RPC queue, the refusal each must get, and the documents that must not change meanwhile.
 */

/** A malformed request, and the field the refusal must name (when one is to be named). */
export type RpcCase = [label: string, payload: unknown, field?: string];

/** Adds the caller (a valid token) to the rest of a request. */
export type AsCaller = (rest: object) => object;

/** Documents per collection of a service's database. */
export async function documentCounts(db: mongoose.Connection): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name } of await db.db!.listCollections().toArray()) {
    out[name] = await db.db!.collection(name).countDocuments();
  }
  return out;
}

/** Refused whatever the pattern: not an object, an unknown envelope field, a forged caller field. */
export const envelopeCases = (valid: () => object): RpcCase[] => [
  ['a payload that is not an object', 'text'],
  ['an array payload', [1, 2]],
  ['null', null],
  ['an unknown envelope field', { ...valid(), sudo: true }, 'sudo'],
  [
    'a caller field the gateway never sends',
    { ...valid(), caller: { accessToken: 'x', roles: ['admin'] } },
    'caller.roles',
  ],
];

/** A list's `?limit=&cursor=` broken every way (limit 1-100, a cursor this list gave out). */
export const pageQueryCases = (as: AsCaller, rest: object): RpcCase[] => [
  ...[0, 101, 2.5, 'abc', -1].map((limit): RpcCase => [
    `limit ${limit}`,
    as({ ...rest, query: { limit } }),
    'limit',
  ]),
  ['a cursor of another list', as({ ...rest, query: { cursor: encodeCursor(['x', 'y', 'z']) } }), 'cursor'],
  ['a cursor that is not one', as({ ...rest, query: { cursor: 'not-a-cursor' } }), 'cursor'],
  ['a cursor that is not a string', as({ ...rest, query: { cursor: 5 } }), 'cursor'],
  ['an unknown query field', as({ ...rest, query: { sort: 'asc' } }), 'sort'],
];

/** Parts a pattern does not take, sent anyway. */
export const unexpectedPartCases = (as: AsCaller, rest: object, parts: string[]): RpcCase[] =>
  parts.map((part): RpcCase => [
    `a ${part} where none is taken`,
    as({ ...rest, [part]: { stray: 1 } }),
    'stray',
  ]);

/**
 * Sends each case and expects VALIDATION_FAILED naming its field; a case the service accepts, or
 * refuses for another reason, fails with its label.
 */
export async function expectEveryCaseRefused(
  rpc: RpcClient,
  service: RpcService,
  pattern: string,
  cases: RpcCase[],
): Promise<void> {
  for (const [label, payload, field] of cases) {
    const err = await rpc.send(service, pattern, payload).then(
      () => new Error(`${pattern} accepted ${label}: ${JSON.stringify(payload)}`),
      (e: unknown) => e,
    );
    if (!(err instanceof DomainError)) throw err;
    expect({ label, code: err.code }).toEqual({ label, code: 'VALIDATION_FAILED' });
    if (field) {
      expect({ label, fields: err.errors?.map((e) => e.field) }).toEqual({
        label,
        fields: expect.arrayContaining([field]),
      });
    }
  }
}

/**
 * The two tests of a `<svc>-rpc-validation` file: the cases cover every pattern of the service,
 * and each pattern's cases are all refused while no document of the service's database changes.
 * `state` is read when the tests run (the client, database and cases exist only after beforeAll).
 */
export function itRefusesEveryMalformedRequest(
  service: RpcService,
  patterns: string[],
  state: () => { rpc: RpcClient; db: mongoose.Connection; cases: Record<string, RpcCase[]> },
): void {
  it(`covers every ${service} RPC pattern but ping`, () => {
    expect(Object.keys(state().cases).sort()).toEqual([...patterns].sort());
  });

  it.each(patterns)('%s: VALIDATION_FAILED for each malformed request, nothing written', async (pattern) => {
    const { rpc, db, cases } = state();
    const before = await documentCounts(db);
    expect(Object.values(before).some((n) => n > 0)).toBe(true);
    await expectEveryCaseRefused(rpc, service, pattern, cases[pattern]);
    expect(await documentCounts(db)).toEqual(before);
  });
}
