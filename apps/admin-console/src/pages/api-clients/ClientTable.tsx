import { useCallback, useEffect, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { ApiClient, Page, RotatedSecret } from '../../api/types';
import { formatDate } from '../../ui/format';
import { useFocusOnResult } from '../../ui/focus';
import { Pager, query, useCursorPages, useFirstPageOnChange } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { PREVIOUS_SECRET_GRACE_MS } from './scopes';
import type { ShownSecret } from './SecretPanel';

const PAGE_SIZE = 20;

/** The id of a client's row, for revealRow() once a new client's secret is put away. */
export const clientRowId = (clientId: string) => `client-row-${clientId}`;

type Action = 'rotate' | 'revoke';
type Outcome = { action: 'revoke' } | { action: 'rotate'; secret: RotatedSecret };

/** Whether the secret a rotation replaced still works, and until when. */
export function previousSecretText(client: ApiClient, now = Date.now()): string {
  const until = client.previousSecretExpiresAt;
  if (!until || new Date(until).getTime() <= now) return 'No';
  return `Yes, until ${formatDate(until)}`;
}

/**
 * The active API clients, a page at a time, with rotating a secret and revoking a client, each
 * after a confirmation in a sentence. `version` changes after a create.
 */
export function ClientTable({
  version,
  onRotated,
}: {
  version: number;
  onRotated: (secret: ShownSecret) => void;
}) {
  const api = useApi();
  const pages = useCursorPages();
  const { reset } = pages;
  const path = `/v1/admin/api-clients${query({ limit: PAGE_SIZE, cursor: pages.cursor })}`;
  const list = useResource(
    useCallback(() => api.get<Page<ApiClient>>(path), [api, path]),
    `${path}:${version}`,
  );
  const [confirming, setConfirming] = useState<{ client: ApiClient; action: Action; at: number }>();
  const [done, setDone] = useState<string>();
  const [failed, setFailed] = useState<string>();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // A create puts the new client first: back to page 1.
  useFirstPageOnChange(version, reset);
  useEffect(() => confirmButton.current?.focus(), [confirming]);

  // Resolves to what the confirmation leads to; undefined (from useAction) means it failed.
  const act = useAction(
    useCallback(
      async (client: ApiClient, action: Action): Promise<Outcome> => {
        const at = `/v1/admin/api-clients/${encodeURIComponent(client.clientId)}`;
        if (action === 'revoke') {
          await api.del(at);
          return { action };
        }
        return { action, secret: await api.post<RotatedSecret>(`${at}/secrets`) };
      },
      [api],
    ),
  );

  // A refused rotation or revoke: the keyboard goes to the message, beside the confirmation.
  const card = useFocusOnResult<HTMLElement>(act.error);

  function ask(client: ApiClient, action: Action, button: HTMLButtonElement) {
    opener.current = button;
    setDone(undefined);
    act.setError(undefined);
    setConfirming({ client, action, at: Date.now() });
  }

  function cancel() {
    setConfirming(undefined);
    opener.current?.focus();
  }

  /** Runs the confirmed action; on failure the confirmation stays, beside the error, to retry or cancel. */
  async function confirm() {
    if (!confirming) return;
    const { client, action } = confirming;
    setFailed(
      action === 'rotate'
        ? `The secret of ${client.name} was not rotated.`
        : `${client.name} was not revoked.`,
    );
    const result = await act.run(client, action);
    list.reload();
    if (!result) return;
    setConfirming(undefined);
    if (result.action === 'rotate') {
      onRotated({ clientId: client.clientId, name: client.name, ...result.secret });
    } else {
      setDone(`Revoked ${client.name}: its tokens stop working within 5 seconds.`);
      heading.current?.focus(); // its row, and the button that asked, are gone
    }
  }

  return (
    <section className="card" aria-labelledby="client-list" ref={card}>
      <h2 id="client-list" ref={heading} tabIndex={-1}>
        Active API clients
      </h2>
      {confirming && (
        <div
          className="card confirm"
          role="group"
          aria-label={confirming.action === 'rotate' ? 'Confirm rotating the secret' : 'Confirm revoking'}
        >
          {confirming.action === 'rotate' ? (
            <p>
              <strong>Rotate the secret of {confirming.client.name}?</strong> A new secret is shown once; the
              old one keeps working for 24 hours (until{' '}
              {formatDate(new Date(confirming.at + PREVIOUS_SECRET_GRACE_MS).toISOString())}), then stops.
            </p>
          ) : (
            <p>
              <strong>Revoke {confirming.client.name}?</strong> Its tokens stop working within 5 seconds and
              it can&apos;t get new ones.
            </p>
          )}
          <div className="actions">
            <button
              ref={confirmButton}
              type="button"
              className={confirming.action === 'revoke' ? 'danger' : undefined}
              disabled={act.pending}
              onClick={() => void confirm()}
            >
              {confirming.action === 'rotate' ? 'Confirm rotation' : 'Confirm revoke'}
            </button>
            <button type="button" className="secondary" disabled={act.pending} onClick={cancel}>
              Cancel
            </button>
            {act.pending && <span role="status">Working…</span>}
          </div>
        </div>
      )}
      <ErrorNotice error={act.error} title={failed} />
      {done && <Success>{done}</Success>}
      {list.loading && !list.data && <Loading what="API clients" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The API clients could not be loaded." />
      {list.data && list.data.items.length === 0 && <p className="muted">No active API clients.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="API clients" className="clients-table">
            <thead>
              <tr>
                <th scope="col">Actions</th>
                <th scope="col">Name</th>
                <th scope="col">Client id</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last token</th>
                <th scope="col">Previous secret valid</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.clientId} id={clientRowId(c.clientId)}>
                  <td className="actions-cell" data-label="Actions">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Rotate secret of ${c.name}`}
                      disabled={act.pending}
                      onClick={(e) => ask(c, 'rotate', e.currentTarget)}
                    >
                      Rotate secret
                    </button>
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Revoke ${c.name}`}
                      disabled={act.pending}
                      onClick={(e) => ask(c, 'revoke', e.currentTarget)}
                    >
                      Revoke
                    </button>
                  </td>
                  <td data-label="Name">{c.name}</td>
                  <td data-label="Client id">
                    <ShortId id={c.clientId} what="client id" />
                  </td>
                  <td data-label="Scopes">
                    <ul className="scope-list">
                      {c.scopes.map((scope) => (
                        <li key={scope}>
                          <code>{scope}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td data-label="Created">{formatDate(c.createdAt)}</td>
                  <td data-label="Last token">{c.lastTokenAt ? formatDate(c.lastTokenAt) : 'Never'}</td>
                  <td data-label="Previous secret valid">{previousSecretText(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="API clients"
        pageNumber={pages.pageNumber}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        total={list.data?.total}
        pageSize={PAGE_SIZE}
        noun={['active client', 'active clients']}
      />
    </section>
  );
}
