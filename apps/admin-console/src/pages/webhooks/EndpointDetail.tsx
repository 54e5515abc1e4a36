import { useCallback, useEffect, useRef, useState } from 'react';
import { useAction, useApi, useResource } from '../../api/context';
import type { Webhook } from '../../api/types';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { useFocusOnResult } from '../../ui/focus';
import { formatDate } from '../../ui/format';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading, Success } from '../../ui/Status';
import { DeliveryLog } from './DeliveryLog';
import { EditEndpointForm } from './EditEndpointForm';
import { EventList } from './EventList';
import { statusText } from './events';

type Asking = 'disable' | 'delete';

/**
 * One endpoint: what it is, editing it, enabling or disabling it and deleting it (those two ask
 * first, in a sentence), and its delivery log. `onChanged` and `onDeleted` keep the list in step.
 * After each result the keyboard goes to its message (or to the first field an edit got wrong).
 */
export function EndpointDetail({
  webhookId,
  onChanged,
  onDeleted,
  onClose,
  pollMs,
}: {
  webhookId: string;
  onChanged: () => void;
  onDeleted: (webhook: Webhook) => void;
  onClose: () => void;
  pollMs?: number;
}) {
  const api = useApi();
  const at = `/v1/admin/webhooks/${encodeURIComponent(webhookId)}`;
  const loaded = useResource(
    useCallback(() => api.get<Webhook>(at), [api, at]),
    at,
  );
  // A PATCH answers with the endpoint as saved: shown as it is until the endpoint is read again.
  const [saved, setSaved] = useState<Webhook>();
  useEffect(() => setSaved(undefined), [loaded.data]);
  const webhook = saved ?? loaded.data;
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState<Asking>();
  const [message, setMessage] = useState<{ text: string }>();
  const heading = useRef<HTMLHeadingElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const statusButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);

  const setStatus = useAction(
    useCallback((status: Webhook['status']) => api.patch<Webhook>(at, { status }), [api, at]),
  );
  const remove = useAction(
    useCallback(async () => {
      await api.del(at);
      return true;
    }, [api, at]),
  );

  const resultRef = useFocusOnResult<HTMLDivElement>(message ?? setStatus.error ?? remove.error);

  // Opening an endpoint moves the keyboard to it.
  const ready = !!loaded.data;
  useEffect(() => {
    if (ready) heading.current?.focus();
  }, [ready]);

  function changed(next: Webhook, text: string) {
    setSaved(next);
    setMessage({ text });
    onChanged();
  }

  function ask(what: Asking) {
    setMessage(undefined);
    setStatus.setError(undefined);
    remove.setError(undefined);
    setAsking(what);
  }

  function cancel() {
    const opener = asking === 'delete' ? deleteButton : statusButton;
    setAsking(undefined);
    setStatus.setError(undefined);
    remove.setError(undefined);
    opener.current?.focus();
  }

  async function changeStatus(status: Webhook['status']) {
    setMessage(undefined);
    const next = await setStatus.run(status);
    if (!next) return; // the error shows; a confirmation stays to retry or cancel
    setAsking(undefined);
    changed(
      next,
      status === 'ENABLED'
        ? `Enabled ${next.url}: new events reach it again, and deliveries waiting for it resume.`
        : `Disabled ${next.url}: it gets no events until it is enabled again.`,
    );
  }

  async function confirmDelete() {
    if (!webhook || !(await remove.run())) return;
    onDeleted(webhook);
  }

  if (!webhook) {
    if (loaded.loading) return <Loading what="the endpoint" />;
    return (
      <ErrorNotice error={loaded.error} onRetry={loaded.reload} title="The endpoint could not be loaded." />
    );
  }
  const busy = setStatus.pending || remove.pending;
  return (
    <section className="webhook-detail" aria-labelledby="webhook-title">
      <div className="card">
        <div className="toolbar">
          <h2 id="webhook-title" ref={heading} tabIndex={-1}>
            {webhook.url}
          </h2>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </div>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <span className={`badge badge-${webhook.status}`}>{statusText(webhook)}</span>
          </dd>
          <dt>Events</dt>
          <dd>
            <EventList events={webhook.events} />
          </dd>
          <dt>Description</dt>
          <dd>{webhook.description || '—'}</dd>
          <dt>Failing since</dt>
          <dd>
            {webhook.failingSince
              ? `${formatDate(webhook.failingSince)}: every delivery since then has failed`
              : '— (its last delivery succeeded, or none failed yet)'}
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(webhook.createdAt)}</dd>
          <dt>Id</dt>
          <dd>
            <ShortId id={webhook.webhookId} what="webhook id" />
          </dd>
        </dl>
        <div className="actions">
          <button
            ref={editButton}
            type="button"
            className="secondary"
            aria-expanded={editing}
            disabled={busy}
            onClick={() => {
              setMessage(undefined);
              setEditing((e) => !e);
            }}
          >
            Edit
          </button>
          <button
            ref={statusButton}
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => (webhook.status === 'ENABLED' ? ask('disable') : void changeStatus('ENABLED'))}
          >
            {webhook.status === 'ENABLED' ? 'Disable' : 'Enable'}
          </button>
          <button
            ref={deleteButton}
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => ask('delete')}
          >
            Delete
          </button>
        </div>
        {asking === 'disable' && (
          <ConfirmPanel
            label="Confirm disabling"
            confirmText="Confirm disable"
            pendingText="Disabling…"
            pending={setStatus.pending}
            onConfirm={() => void changeStatus('DISABLED')}
            onCancel={cancel}
          >
            <p>
              <strong>Disable {webhook.url}?</strong> Events that happen while it is disabled are never sent
              to it, not even later; deliveries already waiting are held until it is enabled again.
            </p>
          </ConfirmPanel>
        )}
        {asking === 'delete' && (
          <ConfirmPanel
            label="Confirm deleting"
            confirmText="Confirm delete"
            pendingText="Deleting…"
            pending={remove.pending}
            onConfirm={() => void confirmDelete()}
            onCancel={cancel}
          >
            <p>
              <strong>Delete {webhook.url}?</strong> It gets no more events, and its delivery log is deleted
              with it. This can&apos;t be undone.
            </p>
          </ConfirmPanel>
        )}
        <div ref={resultRef}>
          <ErrorNotice error={setStatus.error} title="The status did not change." />
          <ErrorNotice error={remove.error} title="The endpoint was not deleted." />
          {message && <Success>{message.text}</Success>}
        </div>
      </div>
      {editing && (
        <EditEndpointForm
          webhook={webhook}
          onSaved={(next) => {
            setEditing(false);
            changed(next, `Saved the changes to ${next.url}.`);
          }}
          onCancel={() => {
            setEditing(false);
            editButton.current?.focus();
          }}
        />
      )}
      <DeliveryLog webhookId={webhookId} pollMs={pollMs} onSettled={loaded.reload} />
    </section>
  );
}
