import type { AccessGrant, Admin } from './session';

/** What one tab of the console tells the others (same origin, in memory only). */
export type TabMessage =
  /** Signed in, refreshed or resumed: the access token to use from now on, and whose it is. */
  | { type: 'session'; grant: AccessGrant; admin: Admin }
  /** Signed out: every tab forgets its tokens at once. */
  | { type: 'signed-out' };

/** The other open tabs of the console, as the session sees them. */
export interface Tabs {
  /**
   * Runs `task` while no other tab runs one. The refresh token rotates on every use and lives in
   * one cookie that all tabs share: two refreshes at once would look like a stolen token being
   * replayed, and the server would end the session.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  listen(handler: (message: TabMessage) => void): void;
}

export const TAB_CHANNEL = 'loyalty-admin-session';
const REFRESH_LOCK = 'loyalty-admin-session-refresh';

/**
 * The browser's tabs: a BroadcastChannel for messages and the Web Locks API for the lock. Where
 * either is missing (an old browser), this tab goes on alone: no messages, and its own refreshes
 * only (Session shares one refresh between its own calls).
 */
export function browserTabs(): Tabs {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(TAB_CHANNEL) : undefined;
  const locks = typeof navigator === 'object' ? navigator.locks : undefined;
  return {
    exclusive: (task) => (locks ? locks.request(REFRESH_LOCK, task) : task()),
    post: (message) => channel?.postMessage(message),
    listen: (handler) =>
      channel?.addEventListener('message', (e: MessageEvent<TabMessage>) => handler(e.data)),
  };
}

/** No other tabs (a test's session, unless it is given a hub of its own). */
export function loneTab(): Tabs {
  return { exclusive: (task) => task(), post: () => undefined, listen: () => undefined };
}
