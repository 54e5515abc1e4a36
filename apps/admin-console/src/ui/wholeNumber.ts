/**
 * The whole number typed in `text` when it lies in [min, max], else undefined. Only plain digits
 * count: "1e3", "2.5", "-1" or "" are not a number of days or points here, whatever Number() says.
 */
export function wholeNumberIn(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= min && n <= max ? n : undefined;
}
