/** Unambiguous characters (no 0/O, 1/I/L): read aloud and typed without mistakes. */
export const VOUCHER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const VOUCHER_CODE_LENGTH = 12;

/**
 * A random code from a cryptographic source, each character uniform over the alphabet: bytes at
 * or above the largest multiple of the alphabet size are rejected and drawn again, since taking
 * `byte % size` of them would favour the first characters (modulo bias).
 */
export function randomVoucherCode(
  randomBytes: (n: number) => Uint8Array,
  alphabet = VOUCHER_CODE_ALPHABET,
  length = VOUCHER_CODE_LENGTH,
): string {
  if (alphabet.length < 2 || alphabet.length > 256) throw new Error('alphabet must have 2..256 characters');
  const limit = 256 - (256 % alphabet.length);
  const chars: string[] = [];
  while (chars.length < length) {
    for (const byte of randomBytes(length - chars.length + 4)) {
      if (byte >= limit) continue;
      chars.push(alphabet[byte % alphabet.length]);
      if (chars.length === length) break;
    }
  }
  const code = chars.join('');
  return code.match(/.{1,4}/g)!.join('-');
}
