import { useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/CopyButton';

/** A new endpoint's signing secret, as the API gives it the one time it does. */
export interface ShownWebhookSecret {
  webhookId: string;
  url: string;
  secret: string;
}

/** How a receiver checks a request with the secret (kept in WEBHOOK_SECRET, out of its code). */
export const VERIFY_EXAMPLE = [
  "import { Webhook } from 'standardwebhooks';",
  '',
  "// The body exactly as received, and the request's headers: throws unless we sent it.",
  'new Webhook(process.env.WEBHOOK_SECRET).verify(rawBody, headers);',
].join('\n');

/**
 * The signing secret, shown this once: closing the panel (or leaving the page) drops it from
 * memory, and no call reads it back. A lost secret means a new endpoint.
 */
export function WebhookSecretPanel({ shown, onClose }: { shown: ShownWebhookSecret; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the secret they have to store.
  useEffect(() => heading.current?.focus(), [shown]);

  return (
    <section className="card secret-panel" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title" ref={heading} tabIndex={-1}>
        Signing secret of {shown.url}
      </h2>
      <p role="status" className="notice notice-ok">
        Added {shown.url}: it is first in the list of endpoints, enabled, and receives its events from now on.
      </p>
      <p>
        <strong>Store this secret now: it is shown only this once.</strong> If it is lost, delete the endpoint
        and add it again.
      </p>
      <dl className="secret-values">
        <dt>Signing secret</dt>
        <dd>
          <code className="secret" data-testid="webhook-secret">
            {shown.secret}
          </code>
        </dd>
      </dl>
      <CopyButton text={shown.secret} what="secret" />
      <p>
        Every request is signed as the{' '}
        <a href="https://www.standardwebhooks.com/" target="_blank" rel="noreferrer">
          Standard Webhooks
        </a>{' '}
        specification says. The receiver should refuse a request whose <code>webhook-signature</code>{' '}
        doesn&apos;t match (HMAC-SHA256 over <code>webhook-id.webhook-timestamp.body</code>, keyed with the
        base64 after <code>whsec_</code>) or whose <code>webhook-timestamp</code> is more than 5 minutes off,
        and handle each <code>webhook-id</code> once: a retried event comes again with the same id. A Standard
        Webhooks library does the checks:
      </p>
      <pre className="example">
        <code>{VERIFY_EXAMPLE}</code>
      </pre>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          I have stored it: hide the secret
        </button>
      </div>
    </section>
  );
}
