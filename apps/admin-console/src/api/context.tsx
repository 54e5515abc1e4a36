import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ReactNode } from 'react';
import { usePolling } from './polling';
import { Session } from './session';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session, re-rendering the caller when it signs in, out or expires. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionProvider>');
  useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.state + (session.admin?.userId ?? ''),
  );
  return session;
}

/** The API as the signed-in admin. */
export function useApi() {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useApi() outside <SessionProvider>');
  return {
    get: <T,>(path: string) => session.request<T>('GET', path),
    post: <T,>(path: string, body?: unknown) => session.request<T>('POST', path, body ?? {}),
    patch: <T,>(path: string, body: unknown) => session.request<T>('PATCH', path, body),
    put: <T,>(path: string, body: unknown) => session.request<T>('PUT', path, body),
    del: (path: string) => session.request<void>('DELETE', path),
  };
}

export interface Resource<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` when `key` changes, and again on reload(). `everyMs` polls (live figures,
 * running jobs) without flashing the loading state, through usePolling: one request at a time (a
 * poll that comes due while a load is on its way waits for that load instead of sending another)
 * and none while the tab is hidden. An answer for another key, or older than the one shown, is
 * dropped.
 */
export function useResource<T>(load: () => Promise<T>, key: string, everyMs?: number): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const requests = useRef<{ sent: number; shown: number; inFlight?: Promise<void> }>({ sent: 0, shown: 0 });

  /** One load(): its answer is shown unless the key has changed or a later answer is shown already. */
  const request = useCallback((polled: boolean): Promise<void> => {
    const r = requests.current;
    const id = ++r.sent;
    const forKey = keyRef.current;
    const current = () => {
      if (forKey !== keyRef.current || id < r.shown) return false;
      r.shown = id;
      return true;
    };
    const settled = loadRef.current().then(
      (data) => {
        if (current()) setState({ data, loading: false });
      },
      (error: unknown) => {
        // A failed poll keeps the last figures on screen, with the error beside them.
        if (current()) setState((s) => (polled ? { ...s, error } : { data: s.data, error, loading: false }));
      },
    );
    r.inFlight = settled;
    void settled.finally(() => {
      if (r.inFlight === settled) r.inFlight = undefined;
    });
    return settled;
  }, []);

  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    void request(false);
  }, [key, tick, request]);

  usePolling(() => requests.current.inFlight ?? request(true), everyMs, key);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** A write: its pending flag and its last error, cleared on the next run. */
export function useAction<A extends unknown[], R>(act: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await act(...args);
      } catch (err) {
        setError(err);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [act],
  );
  return { run, pending, error, setError };
}
