import { createHash } from 'node:crypto';

/** The hash the first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything it says, plus its position. */
export interface AuditFields {
  auditId: string;
  seq: number;
  actorId: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  /** ISO-8601 UTC, milliseconds. */
  createdAt: string;
}

export interface ChainedAuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/** The end of the chain: the last entry's position and hash (seq 0 and GENESIS_HASH when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
  lastAuditId: string | null;
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH, lastAuditId: null };

/**
 * JSON with object keys sorted at every level: the same entry always serializes to the same
 * bytes, whatever order a store returns its fields in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256(canonical(fields) + prevHash), hex. */
export function hashEntry(fields: AuditFields, prevHash: string): string {
  const { auditId, seq, actorId, action, target, details, createdAt } = fields;
  return createHash('sha256')
    .update(canonicalJson({ auditId, seq, actorId, action, target, details, createdAt }))
    .update(prevHash)
    .digest('hex');
}

/** The next entry after `head`: its seq follows the head's and it carries the head's hash. */
export function chainEntry(fields: Omit<AuditFields, 'seq'>, head: ChainHead): ChainedAuditEntry {
  const entry = { ...fields, seq: head.seq + 1 };
  return { ...entry, prevHash: head.hash, hash: hashEntry(entry, head.hash) };
}

/**
 * Walks the chain in seq order, one entry at a time (so a caller can stream any length): an
 * entry is intact when it is the next seq, links to the previous entry's hash and its own hash
 * matches its contents. An edited entry fails its own hash; a deleted one breaks the next link.
 */
export class ChainWalk {
  private previous: ChainHead = EMPTY_CHAIN;
  checked = 0;
  firstBroken: string | null = null;

  /** False once the chain is broken (the rest is not checked: it no longer proves anything). */
  next(entry: ChainedAuditEntry): boolean {
    if (this.firstBroken) return false;
    this.checked++;
    const intact =
      entry.seq === this.previous.seq + 1 &&
      entry.prevHash === this.previous.hash &&
      entry.hash === hashEntry(entry, entry.prevHash);
    if (!intact) {
      this.firstBroken = entry.auditId;
      return false;
    }
    this.previous = { seq: entry.seq, hash: entry.hash, lastAuditId: entry.auditId };
    return true;
  }

  /**
   * After the last entry: the head must point at it. A head past it means entries at the end
   * were removed; the head names the last one written, which is reported as the break.
   */
  finish(head: ChainHead): { ok: boolean; checked: number; firstBrokenAuditId: string | null } {
    if (!this.firstBroken && (head.seq !== this.previous.seq || head.hash !== this.previous.hash)) {
      this.firstBroken = head.lastAuditId ?? 'chain-head';
    }
    return { ok: !this.firstBroken, checked: this.checked, firstBrokenAuditId: this.firstBroken };
  }
}
