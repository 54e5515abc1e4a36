// Turning what a form holds (strings) into what the API takes: optionals left empty are not sent
// at all, because the API rejects an empty string or a null where it expects a value.

export { formatCount, formatDate, localToIso } from '../../ui/format';

/** A number input's text as a number, or undefined when empty (the API then uses its default). */
export function optionalNumber(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/** Trimmed text, or undefined when nothing is left. */
export function optionalText(value: string): string | undefined {
  const text = value.trim();
  return text === '' ? undefined : text;
}

/** Drops the keys whose value is undefined, so JSON carries only what the admin filled in. */
export function withoutEmpty<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<T>;
}
