import { useEffect, useRef } from 'react';

/**
 * Runs `poll` every `everyMs`, counted from the end of the previous run, never on a fixed clock:
 * a slow answer delays the next request instead of overlapping it. Only while the page is
 * visible: a hidden tab (another tab in front, a minimised window) makes no request at all, and
 * coming back polls at once (the figures on screen are old), then every `everyMs` again.
 * The first run is `everyMs` from now. Returns stop(); an answer still on its way is not cancelled,
 * but nothing runs after it.
 */
export function startPolling(
  poll: () => Promise<unknown>,
  everyMs: number,
  page: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'> = document,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;
  const visible = () => page.visibilityState !== 'hidden';

  const schedule = () => {
    if (stopped || running || timer !== undefined || !visible()) return;
    timer = setTimeout(run, everyMs);
  };
  function run() {
    timer = undefined;
    if (stopped || running || !visible()) return;
    running = true;
    // new Promise(...): a poll that throws at once counts as a failed run, like a rejected one.
    void new Promise((resolve) => resolve(poll()))
      .catch(() => undefined) // poll() reports its own failures; the next run is the retry
      .finally(() => {
        running = false;
        schedule();
      });
  }
  const onVisibilityChange = () => {
    if (visible()) {
      if (timer === undefined) run(); // nothing if a run is still in flight: it schedules the next
    } else {
      clearTimeout(timer);
      timer = undefined;
    }
  };

  page.addEventListener('visibilitychange', onVisibilityChange);
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
    timer = undefined;
    page.removeEventListener('visibilitychange', onVisibilityChange);
  };
}

/**
 * startPolling for a component: polls while mounted and `everyMs` is set, and starts over when
 * `everyMs` or `key` changes. The latest `poll` is used each time, so a re-render doesn't restart it.
 */
export function usePolling(poll: () => Promise<unknown>, everyMs: number | undefined, key?: unknown): void {
  const pollRef = useRef(poll);
  pollRef.current = poll;
  useEffect(() => {
    if (!everyMs) return;
    return startPolling(() => pollRef.current(), everyMs);
  }, [everyMs, key]);
}
