import { randomBytes, randomInt } from 'node:crypto';

/**
 * The charset when a book or job names none (docs/api.md, Data formats). No 0/O, 1/I: people
 * read and type codes.
 */
export const DEFAULT_CHARSET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const DEFAULT_PATTERN = '########';
/** `#` draws a random character; every other character of a pattern is literal. */
export const PATTERN_SLOT = '#';
/** Codes travel in URL paths (`/v1/coupons/{code}`): letters, digits, `-` and `_` only. */
export const CODE_CHARS = /^[A-Za-z0-9_-]+$/;
export const MAX_CODE_LENGTH = 64;
/**
 * "Comfortably": a job may ask for at most this share of the codes the pattern still has free, so
 * collisions stay rare (at 50% full, one draw in two is a duplicate at worst) and the worker's
 * top-up rounds stay few.
 */
export const COMFORT_FACTOR = 0.5;

/** Why a pattern or charset can't be used, or undefined when it can. */
export function patternProblem(pattern: string, charset: string): string | undefined {
  if (!pattern.includes(PATTERN_SLOT)) return 'pattern must contain at least one #';
  if (pattern.length > MAX_CODE_LENGTH) return `pattern must be at most ${MAX_CODE_LENGTH} characters`;
  const literals = pattern.split(PATTERN_SLOT).join('');
  if (literals && !CODE_CHARS.test(literals)) return 'pattern literals must be letters, digits, - or _';
  return charsetProblem(charset);
}

export function charsetProblem(charset: string): string | undefined {
  if (charset.length < 2 || charset.length > 64) return 'charset must have 2-64 characters';
  if (!CODE_CHARS.test(charset)) return 'charset must be letters, digits, - or _';
  if (new Set(charset).size !== charset.length) return 'charset must not repeat a character';
  return undefined;
}

/** How many distinct codes the pattern can make: charset^slots (a float once past 2^53, which is fine). */
export function patternCapacity(pattern: string, charset: string): number {
  const slots = [...pattern].filter((c) => c === PATTERN_SLOT).length;
  return Math.pow(charset.length, slots);
}

/**
 * A regular expression (its source) that matches exactly the codes `pattern` can make with
 * `charset`: anchored, with the literal prefix first, so a query on an indexed field scans only the
 * index range of the values that start with that prefix (MongoDB's "prefix expression").
 */
export function patternRegex(pattern: string, charset: string): string {
  const slot = `[${[...charset].map((c) => c.replace(/[\]\\^-]/, '\\$&')).join('')}]`;
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return `^${pattern.split(PATTERN_SLOT).map(literal).join(slot)}$`;
}

/** True when `count` more codes fit comfortably beside the `existing` ones. */
export function fitsComfortably(capacity: number, existing: number, count: number): boolean {
  return count <= Math.max(0, capacity - existing) * COMFORT_FACTOR;
}

/**
 * Draws codes from crypto randomness with rejection sampling: a byte is used only when it falls
 * below the largest multiple of the charset size that fits in a byte, so `byte % size` is exactly
 * uniform (plain modulo would favour the first 256 % size characters). Each code is built as one
 * flat string from character codes: appending piece by piece makes a rope of pieces, which every
 * later use (the batch's Set, the BSON writer) first has to flatten, a million times a job.
 */
export class CodeGenerator {
  /** The pattern's character codes; each draw overwrites the slots. */
  private readonly code: number[];
  private readonly slots: number[];
  private readonly chars: number[];
  private readonly limit: number;
  private pool = Buffer.alloc(0);
  private offset = 0;

  constructor(pattern: string, charset: string) {
    this.code = [...pattern].map((c) => c.charCodeAt(0));
    this.slots = [...pattern].flatMap((c, i) => (c === PATTERN_SLOT ? [i] : []));
    this.chars = [...charset].map((c) => c.charCodeAt(0));
    this.limit = 256 - (256 % charset.length);
  }

  next(): string {
    for (const i of this.slots) this.code[i] = this.chars[this.nextIndex()];
    return String.fromCharCode.apply(null, this.code);
  }

  private nextIndex(): number {
    for (;;) {
      if (this.offset >= this.pool.length) {
        this.pool = randomBytes(64 * 1024);
        this.offset = 0;
      }
      const byte = this.pool[this.offset++];
      if (byte < this.limit) return byte % this.chars.length;
    }
  }
}

/** The random sort key of a code (31 bits): assignment seeks the first free code at or after a draw. */
export function randomRank(): number {
  // randomInt draws from Node's pooled random bytes: randomBytes(4) per assignment read the
  // kernel's source each time (about 1.5 % of promotion's CPU under load).
  return randomInt(0x80000000);
}

/** Many ranks from one read of the random source (batch inserts). */
export function randomRanks(count: number): number[] {
  const bytes = randomBytes(count * 4);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = bytes.readUInt32BE(i * 4) >>> 1;
  return out;
}
