/**
 * Durations as operators write them: `500ms`, `5s`, `5m`, `2h`, `5d`. Hand-written rather than a
 * library: the grammar is one regex, and a setting must be refused whole (with the reason), never
 * half-read.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;

export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}

/** `5s,5m,30m`: the list, or why it is refused. */
export function parseDurationList(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 50) return 'at most 50 retries';
  const out: number[] = [];
  for (const part of parts) {
    const ms = parseDuration(part);
    if (ms === null) return `"${part}" is not a duration (a whole number and ms, s, m, h or d)`;
    out.push(ms);
  }
  return out;
}
