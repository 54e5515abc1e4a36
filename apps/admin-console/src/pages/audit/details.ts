// An audit entry's details in words: "field: value" lines, and "field: before → after" for what
// changed, instead of raw JSON. The shapes are those the services record (see each handler's
// AUDIT_ACTIONS call): flat facts (`{points, reason}`), before/after pairs (`{before, after}`),
// a user's changes (`{changes: {status: {from, to}}}`), a campaign's status (`{from, status}`).
import { formatDate } from '../../ui/format';

/** One line of the details: what it is about, and the value (or the change) as text. */
export interface DetailLine {
  label: string;
  text: string;
}

/** "pointsRestored" → "points restored"; "before.rules.0.percent" → "rules 1 percent". */
export function detailLabel(path: string): string {
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part))
    .join(' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value as people read it (moments in the console's one format): lists joined, yes/no, "—" for none. */
export function detailValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (typeof value === 'string' && ISO_MOMENT.test(value)) return formatDate(value);
  if (Array.isArray(value))
    return value.length === 0
      ? 'none'
      : value.map((v) => (isObject(v) ? JSON.stringify(v) : detailValue(v))).join(', ');
  // Details are JSON: what is left is text, or an object written as JSON.
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested objects as dotted paths to their leaves (lists are leaves, unless of objects). */
function flatten(value: unknown, prefix = ''): Array<[string, unknown]> {
  const nested = isObject(value) || (Array.isArray(value) && value.some(isObject));
  if (!nested) return [[prefix, value]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return [[prefix, value]];
  return entries.flatMap(([key, v]) => flatten(v, prefix ? `${prefix}.${key}` : key));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The leaves that differ between two states: "status: ACTIVE → INACTIVE". */
function changedLines(before: unknown, after: unknown, prefix = ''): DetailLine[] {
  const was = new Map(flatten(before, prefix));
  const now = new Map(flatten(after, prefix));
  const paths = [...new Set([...was.keys(), ...now.keys()])];
  return paths
    .filter((path) => !same(was.get(path), now.get(path)))
    .map((path) => ({
      label: detailLabel(path) || 'value',
      text: `${detailValue(was.get(path))} → ${detailValue(now.get(path))}`,
    }));
}

/** Whether a value is a `{from, to}` change, as user updates record each changed field. */
function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return isObject(value) && 'from' in value && 'to' in value && Object.keys(value).length === 2;
}

/** The lines for an entry's details, in the order the service recorded its fields. */
export function describeDetails(details: Record<string, unknown> | null | undefined): DetailLine[] {
  if (!details) return [];
  const lines: DetailLine[] = [];
  // A campaign's status change is recorded as `{from: 'ACTIVE', status: 'PAUSED'}`.
  const statusChange = 'from' in details && 'status' in details && !isObject(details.from);
  const pair = 'before' in details && 'after' in details;
  let pairShown = false;
  for (const [key, value] of Object.entries(details)) {
    if (statusChange && (key === 'from' || key === 'status')) {
      if (key === 'status' || !('status' in details)) continue;
      lines.push({ label: 'status', text: `${detailValue(details.from)} → ${detailValue(details.status)}` });
    } else if (pair && (key === 'before' || key === 'after')) {
      if (pairShown) continue;
      pairShown = true;
      const changed = changedLines(details.before, details.after);
      lines.push(...(changed.length ? changed : [{ label: 'changes', text: 'none' }]));
    } else if (key === 'changes' && isObject(value) && Object.values(value).every(isChange)) {
      for (const [field, change] of Object.entries(value as Record<string, { from: unknown; to: unknown }>))
        lines.push({
          label: detailLabel(field),
          text: `${detailValue(change.from)} → ${detailValue(change.to)}`,
        });
    } else {
      for (const [path, leaf] of flatten(value, key))
        lines.push({ label: detailLabel(path), text: detailValue(leaf) });
    }
  }
  return lines;
}
