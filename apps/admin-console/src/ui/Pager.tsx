import { useCallback, useState } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Cursor paging as the API does it (`?cursor=` and `nextCursor`): the cursors of the pages seen
 * so far make "Previous" possible. `reset()` goes back to the first page (a new search).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  return {
    cursor,
    pageNumber: cursors.length,
    next: useCallback((nextCursor: string) => setCursors((c) => [...c, nextCursor]), []),
    previous: useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []),
    reset: useCallback(() => setCursors([undefined]), []),
  };
}

export function Pager({
  pageNumber,
  nextCursor,
  onNext,
  onPrevious,
  label,
}: {
  pageNumber: number;
  nextCursor: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
  label: string;
}) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="secondary" disabled={pageNumber <= 1} onClick={onPrevious}>
        ← Previous
      </button>
      <span>Page {pageNumber}</span>
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
