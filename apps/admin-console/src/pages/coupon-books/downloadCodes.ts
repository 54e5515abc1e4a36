import type { Session } from '../../api/session';

/** `attachment; filename="summer-codes.csv"` → `summer-codes.csv`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match ? match[1] : fallback;
}

export interface CsvFile {
  blob: Blob;
  fileName: string;
}

/**
 * A book's codes as a CSV file, read as it streams in; `onLines(n)` reports how many lines (the
 * header included) have arrived, so the page can show how far it is.
 */
export async function downloadCodes(
  session: Session,
  bookId: string,
  onLines: (lines: number) => void,
): Promise<CsvFile> {
  const res = await session.fetchRaw(
    `/v1/admin/coupon-books/${encodeURIComponent(bookId)}/codes/export`,
    'text/csv',
  );
  const fileName = fileNameOf(res.headers.get('content-disposition'), 'coupon-codes.csv');
  if (!res.body) return { blob: await res.blob(), fileName };
  const parts: Uint8Array[] = [];
  let lines = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    for (const byte of value) if (byte === 10) lines++;
    onLines(lines);
  }
  return { blob: new Blob(parts, { type: 'text/csv' }), fileName };
}

/** Hands the file to the browser, which saves it (or asks where). */
export function saveFile({ blob, fileName }: CsvFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
