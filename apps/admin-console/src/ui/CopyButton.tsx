import { useState } from 'react';

type Copied = 'copied' | 'unavailable' | undefined;

/** Copies with the Clipboard API; false where there is none (plain http) or it is refused. */
async function copyText(text: string): Promise<boolean> {
  if (!navigator.clipboard?.writeText) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Copy <what>", and beside it (announced) whether that worked or, where the browser doesn't
 * allow it, how to copy by hand. For values shown once, such as secrets.
 */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [copied, setCopied] = useState<Copied>();
  return (
    <div className="actions">
      <button
        type="button"
        onClick={() => void copyText(text).then((ok) => setCopied(ok ? 'copied' : 'unavailable'))}
      >
        Copy {what}
      </button>
      <span role="status">
        {copied === 'copied' && 'Copied to the clipboard.'}
        {copied === 'unavailable' &&
          `This browser did not allow copying: select the ${what} above and copy it.`}
      </span>
    </div>
  );
}
