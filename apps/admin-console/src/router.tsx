import { useCallback, useEffect, useState } from 'react';
import type { AnchorHTMLAttributes } from 'react';

/** Where the gateway serves the console; every page lives under it. */
export const BASE = '/admin';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** The console path after /admin, e.g. "/users", and its query string. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((t) => t + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return { path: path.replace(/\/+$/, '') || '/', search: new URLSearchParams(window.location.search) };
}

export function navigate(to: string): void {
  window.history.pushState(null, '', BASE + to);
  listeners.forEach((l) => l());
}

/** The values in the URL's query string that `updates` changes; null or '' removes a key. */
export type SearchUpdates = Record<string, string | number | null | undefined>;

/**
 * Changes the current page's query string. A new search or filter is a new history entry (Back
 * returns to the list as it was); `replace` rewrites the current one (a page's own defaults).
 * `state` rides along in history.state, which survives a reload (the pager keeps the cursors of
 * earlier pages there).
 */
export function setSearch(
  updates: SearchUpdates,
  { replace = false, state }: { replace?: boolean; state?: unknown } = {},
): void {
  const search = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === undefined || value === '') search.delete(key);
    else search.set(key, String(value));
  }
  const text = search.toString();
  const url = window.location.pathname + (text ? `?${text}` : '');
  if (url === window.location.pathname + window.location.search && state === undefined) return;
  const merged = state === undefined ? window.history.state : state;
  if (replace) window.history.replaceState(merged, '', url);
  else window.history.pushState(merged, '', url);
  listeners.forEach((l) => l());
}

/**
 * One query-string value as page state: a search box's text, a filter, a tab. Reading it from the
 * URL means Back, a reload, a deep link and a new tab all show the same list.
 */
export function useSearchParam(key: string): [string, (value: string | null) => void] {
  const { search } = useLocation();
  const value = search.get(key) ?? '';
  const set = useCallback((next: string | null) => setSearch({ [key]: next }), [key]);
  return [value, set];
}

/** An ordinary link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return (
    <a
      href={BASE + to}
      {...rest}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    />
  );
}
