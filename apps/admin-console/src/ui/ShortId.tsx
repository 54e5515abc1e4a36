import { useState } from 'react';

/** The first 8 characters of a UUID-like id: enough to tell ids apart on one screen. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/**
 * An id shown short, on one line (it never wraps a table's layout), with its whole value in a
 * tooltip and a copy button, for the admin who needs to paste it into a support ticket or an API
 * call. `what` names it for screen readers: "group id".
 */
export function ShortId({ id, what }: { id: string; what: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(id);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false); // no clipboard (plain http): the id is selectable in its tooltip and title
    }
  }
  return (
    <span className="short-id">
      <code title={id}>{shortId(id)}</code>
      <button
        type="button"
        className="link-button"
        aria-label={copied ? `Copied ${what} ${id}` : `Copy ${what} ${id}`}
        onClick={() => void copy()}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
