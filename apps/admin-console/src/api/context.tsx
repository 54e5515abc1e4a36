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
 * running jobs) without flashing the loading state; a stale answer never overwrites a newer one.
 */
export function useResource<T>(load: () => Promise<T>, key: string, everyMs?: number): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [key, tick]);

  useEffect(() => {
    if (!everyMs) return;
    let current = true;
    const timer = setInterval(() => {
      loadRef.current().then(
        (data) => current && setState({ data, loading: false }),
        (error: unknown) => current && setState((s) => ({ ...s, error })),
      );
    }, everyMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [key, everyMs]);

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
