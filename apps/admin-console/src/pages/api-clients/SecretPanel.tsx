import { useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/CopyButton';
import { formatDate } from '../../ui/format';
import { tokenRequestExample } from './scopes';

/** A secret as the API gave it, the one time it does: after a create, or after a rotation. */
export interface ShownSecret {
  clientId: string;
  name: string;
  clientSecret: string;
  /** After a rotation: when the old secret stops working. */
  previousSecretExpiresAt?: string;
}

/**
 * The secret, shown this once: the platform keeps only its hash. Closing the panel (or leaving
 * the page) drops it from memory, so it can't be shown again; a lost secret is rotated.
 */
export function SecretPanel({ secret, onClose }: { secret: ShownSecret; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the secret they have to store.
  useEffect(() => heading.current?.focus(), [secret]);

  const rotated = secret.previousSecretExpiresAt !== undefined;
  return (
    <section className="card secret-panel" aria-labelledby="secret-title">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        {rotated ? `New secret of ${secret.name}` : `Secret of ${secret.name}`}
      </h2>
      <p>
        <strong>Store this secret now: it is shown only this once.</strong> The platform keeps only a hash of
        it. If it is lost, rotate the secret.
      </p>
      {rotated && (
        <p>The old secret keeps working until {formatDate(secret.previousSecretExpiresAt)}, then stops.</p>
      )}
      <dl className="secret-values">
        <dt>Client id</dt>
        <dd>
          <code data-testid="client-id">{secret.clientId}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code className="secret" data-testid="client-secret">
            {secret.clientSecret}
          </code>
        </dd>
      </dl>
      <CopyButton text={secret.clientSecret} what="secret" />
      <p className="muted">Get a token with it (the secret in the variable CLIENT_SECRET):</p>
      <pre className="example">
        <code>{tokenRequestExample(window.location.origin, secret.clientId)}</code>
      </pre>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          I have stored it: hide the secret
        </button>
      </div>
    </section>
  );
}
