import { createHash } from 'node:crypto';
import {
  ChainWalk,
  ChainedAuditEntry,
  EMPTY_CHAIN,
  GENESIS_HASH,
  canonicalJson,
  chainEntry,
  hashEntry,
} from './audit-chain';

const fields = (n: number) => ({
  auditId: `a-${n}`,
  actorId: 'admin-1',
  action: 'points.adjust',
  target: `group:g-${n}`,
  details: { points: n, nested: { b: 1, a: [1, { d: 2, c: 3 }] }, empty: {} },
  createdAt: new Date(Date.UTC(2026, 10, 25, 12, 0, n)).toISOString(),
});

function chainOf(length: number): ChainedAuditEntry[] {
  const entries: ChainedAuditEntry[] = [];
  let head = EMPTY_CHAIN;
  for (let i = 1; i <= length; i++) {
    const e = chainEntry(fields(i), head);
    entries.push(e);
    head = { seq: e.seq, hash: e.hash, lastAuditId: e.auditId };
  }
  return entries;
}

function verify(entries: ChainedAuditEntry[], head = entries.at(-1)) {
  const walk = new ChainWalk();
  for (const e of entries) if (!walk.next(e)) break;
  return walk.finish(head ? { seq: head.seq, hash: head.hash, lastAuditId: head.auditId } : EMPTY_CHAIN);
}

describe('the audit hash chain (domain)', () => {
  it('serializes canonically: key order never changes the bytes', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('hashes sha256(canonical(entry) + prevHash), starting from the genesis hash, numbering from 1', () => {
    const [first, second] = chainOf(2);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    const { prevHash: _p, hash: _h, ...covered } = first;
    expect(first.hash).toBe(
      createHash('sha256')
        .update(canonicalJson(covered) + GENESIS_HASH)
        .digest('hex'),
    );
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(hashEntry(second, second.prevHash)).toBe(second.hash);
  });

  it('verifies an intact chain, and an empty one', () => {
    expect(verify(chainOf(50))).toEqual({ ok: true, checked: 50, firstBrokenAuditId: null });
    expect(verify([])).toEqual({ ok: true, checked: 0, firstBrokenAuditId: null });
  });

  it.each([
    ['details', 'a-5', (e: ChainedAuditEntry) => ({ ...e, details: { ...e.details, points: 999 } })],
    ['actorId', 'a-5', (e: ChainedAuditEntry) => ({ ...e, actorId: 'someone-else' })],
    ['createdAt', 'a-5', (e: ChainedAuditEntry) => ({ ...e, createdAt: '2020-01-01T00:00:00.000Z' })],
    ['seq', 'a-5', (e: ChainedAuditEntry) => ({ ...e, seq: 99 })],
    // Recomputing the edited entry's own hash does not help: the next entry links to the old one.
    [
      'action, rehashed',
      'a-6',
      (e: ChainedAuditEntry) => {
        const edited = { ...e, action: 'nothing.happened' };
        return { ...edited, hash: hashEntry(edited, edited.prevHash) };
      },
    ],
  ])('finds an edited %s: first broken is %s', (_what, broken, edit) => {
    const entries = chainOf(10);
    entries[4] = edit(entries[4]);
    expect(verify(entries, chainOf(10)[9])).toEqual({
      ok: false,
      checked: broken === 'a-5' ? 5 : 6,
      firstBrokenAuditId: broken,
    });
  });

  it('finds a deleted entry (the next link breaks) and a cut-off tail (the head names the missing entry)', () => {
    const entries = chainOf(10);
    const head = entries[9];
    expect(verify([...entries.slice(0, 3), ...entries.slice(4)], head)).toMatchObject({
      ok: false,
      firstBrokenAuditId: 'a-5',
    });
    expect(verify(entries.slice(0, 8), head)).toEqual({ ok: false, checked: 8, firstBrokenAuditId: 'a-10' });
  });
});
