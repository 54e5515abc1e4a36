import { ApiError } from '../../api/problem';
import { chunks } from './parseCodes';

export interface UploadTotals {
  sent: number;
  added: number;
  duplicates: number;
}

/** A chunk the API refused: which one, and its errors with `codes[i]` turned back into the code. */
export class ChunkRefused extends Error {
  constructor(
    readonly chunk: number,
    readonly chunkCount: number,
    readonly firstCode: number,
    readonly lastCode: number,
    readonly reason: unknown,
    readonly badCodes: Array<{ code: string; message: string }>,
  ) {
    super(`Chunk ${chunk} of ${chunkCount} (codes ${firstCode}–${lastCode}) was refused.`);
    this.name = 'ChunkRefused';
  }
}

/** `codes[12]` or `codes.12` → 12; anything else → undefined. */
function codeIndex(field: string): number | undefined {
  const match = /^codes(?:\[(\d+)\]|\.(\d+))$/.exec(field);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

/**
 * Sends the codes in chunks the API accepts, one after the other (so the totals add up in order
 * and a refusal stops the rest), reporting the running totals after each. Chunks before a refused
 * one stay added: the API has no transaction across calls.
 */
export async function uploadInChunks(
  codes: string[],
  send: (chunk: string[]) => Promise<{ added: number; duplicates: number }>,
  onProgress: (totals: UploadTotals) => void,
  size?: number,
): Promise<UploadTotals> {
  const parts = chunks(codes, size);
  const totals: UploadTotals = { sent: 0, added: 0, duplicates: 0 };
  for (const [i, part] of parts.entries()) {
    try {
      const result = await send(part);
      totals.added += result.added;
      totals.duplicates += result.duplicates;
      totals.sent += part.length;
      onProgress({ ...totals });
    } catch (err) {
      const badCodes =
        err instanceof ApiError
          ? err.errors.flatMap(({ field, message }) => {
              const index = codeIndex(field);
              return index !== undefined && part[index] !== undefined ? [{ code: part[index], message }] : [];
            })
          : [];
      throw new ChunkRefused(i + 1, parts.length, totals.sent + 1, totals.sent + part.length, err, badCodes);
    }
  }
  return totals;
}
