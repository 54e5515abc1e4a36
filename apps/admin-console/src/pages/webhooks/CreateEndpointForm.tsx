import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import type { CreatedWebhook, NewWebhook } from '../../api/types';
import { ErrorNotice } from '../../ui/Status';
import { EndpointFields } from './EndpointFields';
import { allPlaced, createBody, EMPTY_ENDPOINT_FORM, fieldErrors } from './endpointForm';

/** A new webhook endpoint. The created endpoint (with its signing secret) goes to `onCreated`. */
export function CreateEndpointForm({ onCreated }: { onCreated: (webhook: CreatedWebhook) => void }) {
  const api = useApi();
  const [form, setForm] = useState(EMPTY_ENDPOINT_FORM);
  const create = useAction(
    useCallback((body: NewWebhook) => api.post<CreatedWebhook>('/v1/admin/webhooks', body), [api]),
  );
  const errors = fieldErrors(create.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const created = await create.run(createBody(form));
    if (!created) return;
    setForm(EMPTY_ENDPOINT_FORM);
    onCreated(created);
  }

  return (
    <section className="card" aria-labelledby="create-webhook">
      <h2 id="create-webhook">Add an endpoint</h2>
      <p className="muted">
        A CRM, a data warehouse or another back end that wants to hear of what happens here: each event it
        subscribes to is POSTed to its URL, signed, and retried for at least 24 hours until it answers 2xx.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <EndpointFields form={form} setForm={setForm} errors={errors} />
        <div className="actions">
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
      </form>
      {allPlaced(errors) ? (
        <p role="alert" className="notice notice-error">
          The endpoint was not added: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice error={create.error} title="The endpoint was not added." />
      )}
    </section>
  );
}
