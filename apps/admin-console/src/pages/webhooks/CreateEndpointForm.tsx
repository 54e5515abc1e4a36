import { useCallback, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import type { CreatedWebhook, NewWebhook } from '../../api/types';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice } from '../../ui/Status';
import { EndpointFields } from './EndpointFields';
import { allPlaced, createBody, EMPTY_ENDPOINT_FORM, fieldErrors } from './endpointForm';

/**
 * A new webhook endpoint, above the list (which may be long): the form opens on demand. The created
 * endpoint (with its signing secret) goes to `onCreated`, and the form closes.
 */
export function CreateEndpointForm({ onCreated }: { onCreated: (webhook: CreatedWebhook) => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY_ENDPOINT_FORM);
  const create = useAction(
    useCallback((body: NewWebhook) => api.post<CreatedWebhook>('/v1/admin/webhooks', body), [api]),
  );
  const errors = fieldErrors(create.error);
  // A refusal: the keyboard goes to the first field marked, or to the message.
  const formRef = useFocusOnResult<HTMLFormElement>(create.error);
  const openButton = useRef<HTMLButtonElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const created = await create.run(createBody(form));
    if (!created) return;
    setForm(EMPTY_ENDPOINT_FORM);
    setOpen(false);
    onCreated(created);
  }

  function close() {
    setOpen(false);
    create.setError(undefined);
    setForm(EMPTY_ENDPOINT_FORM);
    openButton.current?.focus();
  }

  return (
    <section className="card" aria-labelledby="create-webhook">
      <div className="toolbar">
        <h2 id="create-webhook">Add an endpoint</h2>
        {!open && (
          <button type="button" ref={openButton} aria-expanded={false} onClick={() => setOpen(true)}>
            New endpoint
          </button>
        )}
      </div>
      <p className="muted">
        A CRM, a data warehouse or another back end that wants to hear of what happens here: each event it
        subscribes to is POSTed to its URL, signed, and retried for at least 24 hours until it answers 2xx.
      </p>
      {open && (
        <form ref={formRef} onSubmit={(e) => void submit(e)} aria-label="New endpoint" noValidate>
          <EndpointFields form={form} setForm={setForm} errors={errors} autoFocus />
          <div className="actions">
            <button type="submit" disabled={create.pending}>
              {create.pending ? 'Adding…' : 'Add endpoint'}
            </button>
            <button type="button" className="secondary" disabled={create.pending} onClick={close}>
              Cancel
            </button>
          </div>
          {allPlaced(errors) ? (
            <p role="alert" className="notice notice-error">
              The endpoint was not added: see the fields marked above.
            </p>
          ) : (
            <ErrorNotice error={create.error} title="The endpoint was not added." />
          )}
        </form>
      )}
    </section>
  );
}
