import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import type { Webhook, WebhookUpdate } from '../../api/types';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice } from '../../ui/Status';
import { EndpointFields } from './EndpointFields';
import { allPlaced, changesOf, fieldErrors, formOf } from './endpointForm';

/** An endpoint's URL, events and description; only what changed is sent. */
export function EditEndpointForm({
  webhook,
  onSaved,
  onCancel,
}: {
  webhook: Webhook;
  onSaved: (webhook: Webhook) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const [form, setForm] = useState(() => formOf(webhook));
  /** A new object at each save with nothing to send, so that the keyboard goes to the words again. */
  const [unchanged, setUnchanged] = useState<object>();
  const heading = useRef<HTMLHeadingElement>(null);
  const save = useAction(
    useCallback(
      (body: WebhookUpdate) =>
        api.patch<Webhook>(`/v1/admin/webhooks/${encodeURIComponent(webhook.webhookId)}`, body),
      [api, webhook.webhookId],
    ),
  );
  const errors = fieldErrors(save.error);
  const formRef = useFocusOnResult<HTMLFormElement>(save.error ?? unchanged);

  // Keyboard and screen-reader users land in the form they just opened.
  useEffect(() => heading.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const changes = changesOf(webhook, form);
    setUnchanged(Object.keys(changes).length === 0 ? {} : undefined);
    if (Object.keys(changes).length === 0) return;
    const saved = await save.run(changes);
    if (saved) onSaved(saved);
  }

  return (
    <form
      ref={formRef}
      className="card edit-webhook"
      aria-labelledby="edit-webhook"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h3 id="edit-webhook" ref={heading} tabIndex={-1}>
        Edit the endpoint
      </h3>
      <EndpointFields form={form} setForm={setForm} errors={errors} />
      <div className="actions">
        <button type="submit" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="secondary" disabled={save.pending} onClick={onCancel}>
          Cancel
        </button>
        {unchanged && <span role="status">Nothing changed.</span>}
      </div>
      {allPlaced(errors) ? (
        <p role="alert" className="notice notice-error">
          The changes were not saved: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice error={save.error} title="The changes were not saved." />
      )}
    </form>
  );
}
