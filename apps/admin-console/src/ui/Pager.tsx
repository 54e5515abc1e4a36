import { useCallback, useEffect, useRef } from 'react';
import { setSearch, useLocation } from '../router';
import { formatCount, plural } from './format';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How many match in all, where the API says (admin lists). */
  total?: number;
}

/** Earlier pages' cursors, kept in history.state (it survives a reload) under this list's key. */
function earlierCursors(stateKey: string): Array<string | null> {
  const state: unknown = window.history.state;
  const saved = state && typeof state === 'object' ? (state as Record<string, unknown>)[stateKey] : undefined;
  return Array.isArray(saved) ? (saved as Array<string | null>) : [];
}

/**
 * Cursor paging as the API does it (`?cursor=` and `nextCursor`), kept in the URL: the page
 * number and cursor are query parameters (`page`, `cursor`; `<name>Page`, `<name>Cursor` for a
 * second list on the same page), so Back, a reload and a shared link show the same page. The
 * cursors of earlier pages ride in history.state, which makes "Previous" possible; a pasted link
 * without them goes back to the first page. `resetUpdates` are the URL changes that go back to
 * the first page: a page merges them into its new search's setSearch() (one history entry).
 */
export function useCursorPages(name = '') {
  const { search } = useLocation();
  const pageKey = name ? `${name}Page` : 'page';
  const cursorKey = name ? `${name}Cursor` : 'cursor';
  const stateKey = `${cursorKey}s`;
  const cursor = search.get(cursorKey) || undefined;
  const pageNumber = cursor ? Math.max(2, Math.floor(Number(search.get(pageKey))) || 2) : 1;
  const resetUpdates = { [pageKey]: null, [cursorKey]: null };

  const next = useCallback(
    (nextCursor: string) => {
      const state = (window.history.state as Record<string, unknown> | null) ?? {};
      setSearch(
        { [pageKey]: pageNumber + 1, [cursorKey]: nextCursor },
        { state: { ...state, [stateKey]: [...earlierCursors(stateKey), cursor ?? null] } },
      );
    },
    [pageKey, cursorKey, stateKey, pageNumber, cursor],
  );
  const previous = useCallback(() => {
    const state = (window.history.state as Record<string, unknown> | null) ?? {};
    const earlier = earlierCursors(stateKey);
    const back = earlier.length ? earlier[earlier.length - 1] : null;
    setSearch(
      back ? { [pageKey]: pageNumber - 1, [cursorKey]: back } : { [pageKey]: null, [cursorKey]: null },
      { state: { ...state, [stateKey]: earlier.slice(0, -1) } },
    );
  }, [pageKey, cursorKey, stateKey, pageNumber]);
  const reset = useCallback(() => setSearch({ [pageKey]: null, [cursorKey]: null }), [pageKey, cursorKey]);

  return { cursor, pageNumber, next, previous, reset, resetUpdates };
}

/**
 * Back to the first page whenever `version` changes (a create puts the new item first there),
 * but not on the first render, where the page comes from the URL: a reload of page 2 stays on 2.
 */
export function useFirstPageOnChange(version: unknown, reset: () => void): void {
  const shown = useRef(version);
  useEffect(() => {
    if (shown.current === version) return;
    shown.current = version;
    reset();
  }, [version, reset]);
}

/** "Page 2 of 53", or "Page 2" where the total is not known. */
export function pageLabel(pageNumber: number, total: number | undefined, pageSize: number): string {
  if (total === undefined) return `Page ${formatCount(pageNumber)}`;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return `Page ${formatCount(pageNumber)} of ${formatCount(pages)}`;
}

export function Pager({
  pageNumber,
  nextCursor,
  onNext,
  onPrevious,
  label,
  total,
  pageSize = 20,
  noun,
}: {
  pageNumber: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  /** What the list holds, for the navigation's name: "Users" → "Users pages". */
  label: string;
  /** How many match in all (the API's `total`), for "Page 2 of 53 · 1,047 users". */
  total?: number;
  pageSize?: number;
  /** The singular and plural of one item, for the total: ['user', 'users']. */
  noun?: [string, string];
}) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="secondary" disabled={pageNumber <= 1} onClick={onPrevious}>
        ← Previous
      </button>
      <span>
        {pageLabel(pageNumber, total, pageSize)}
        {total !== undefined && noun && <span className="muted"> · {plural(total, noun[0], noun[1])}</span>}
      </span>
      <button
        type="button"
        className="secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && onNext(nextCursor)}
      >
        Next →
      </button>
    </nav>
  );
}

/** `?a=1&b=x` from the defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
