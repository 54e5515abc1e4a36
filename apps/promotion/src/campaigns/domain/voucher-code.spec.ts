import { randomBytes } from 'node:crypto';
import { randomVoucherCode, VOUCHER_CODE_ALPHABET } from './voucher-code';

describe('randomVoucherCode', () => {
  it('gives 12 characters of the alphabet in groups of 4', () => {
    const code = randomVoucherCode(randomBytes);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect([...code.replace(/-/g, '')].every((c) => VOUCHER_CODE_ALPHABET.includes(c))).toBe(true);
  });

  it('rejects bytes at or above the largest multiple of the alphabet size (no modulo bias)', () => {
    // 10 letters: 256 % 10 = 6, so bytes 250..255 would favour the first six letters; they are skipped.
    const feed = [250, 251, 255, 0, 9, 249, 10, 252, 15, 19, 20, 99];
    let at = 0;
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => feed[at++ % feed.length]);
    const code = randomVoucherCode(bytes, 'ABCDEFGHIJ', 8);
    expect(code).toBe('AJJA-FJAJ'); // from 0, 9, 249, 10, 15, 19, 20, 99 (250/251/255/252 rejected)
  });

  it('is uniform over the alphabet: every byte value below the limit maps to one character equally often', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123'; // 30: limit 240, 8 bytes per character
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte++) {
      const code = randomVoucherCode(() => Uint8Array.of(byte, 0), alphabet, 1);
      if (byte >= 240)
        expect(code).toBe('A'); // the byte was skipped: the next one (0) was used
      else counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    expect(counts.size).toBe(30);
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it('draws 10,000 distinct codes from the real crypto source', () => {
    const codes = new Set(Array.from({ length: 10_000 }, () => randomVoucherCode(randomBytes)));
    expect(codes.size).toBe(10_000);
  });
});
