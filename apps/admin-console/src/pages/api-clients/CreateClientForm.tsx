import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { ApiClientScope, CreatedApiClient, NewApiClient } from '../../api/types';
import { Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice, Success } from '../../ui/Status';
import { ScopeChoices } from './ScopeChoices';

interface Form {
  name: string;
  scopes: ApiClientScope[];
}

const EMPTY_FORM: Form = { name: '', scopes: [] };

/**
 * The API's field errors by form field: `scopes[0]`-style names (one scope refused) go to the
 * scopes group.
 */
function createErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.byField())) {
    const key = field.startsWith('scopes') ? 'scopes' : field;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

/** A new API client: its name and scopes. The created client (with its secret) goes to `onCreated`. */
export function CreateClientForm({ onCreated }: { onCreated: (client: CreatedApiClient) => void }) {
  const api = useApi();
  const [form, setForm] = useState<Form>(EMPTY_FORM);
  const [created, setCreated] = useState<string>();
  const create = useAction(
    useCallback((body: NewApiClient) => api.post<CreatedApiClient>('/v1/admin/api-clients', body), [api]),
  );
  const errors = createErrors(create.error);
  // A refusal: the keyboard goes to the first field to fix, or to the message. (A success leaves
  // it on the secret panel, which has to be read first.)
  const card = useFocusOnResult<HTMLElement>(create.error);
  // Every error sits beside a field of this form: a short alert suffices; otherwise the full notice.
  const fields = Object.keys(errors);
  const placed = fields.length > 0 && fields.every((field) => field in EMPTY_FORM);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    // The name goes even when empty, so that the API's 400 names it beside its field.
    const client = await create.run({ name: form.name.trim(), scopes: form.scopes });
    if (!client) return;
    setForm(EMPTY_FORM);
    setCreated(client.name);
    onCreated(client);
  }

  return (
    <section className="card" aria-labelledby="create-client" ref={card}>
      <h2 id="create-client">Create an API client</h2>
      <p className="muted">
        For a store&apos;s till, a partner or another back end: it gets tokens with its id and secret, and may
        do only what its scopes allow.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Name"
          value={form.name}
          onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
          error={errors.name}
          hint="Who uses it, e.g. Store 042 till (1–100 characters)"
          maxLength={100}
          autoComplete="off"
          required
        />
        <ScopeChoices
          value={form.scopes}
          onChange={(scopes) => setForm((f) => ({ ...f, scopes }))}
          error={errors.scopes}
        />
        <div className="actions">
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create client'}
          </button>
        </div>
      </form>
      {placed ? (
        <p role="alert" className="notice notice-error">
          The client was not created: see the fields marked above.
        </p>
      ) : (
        <ErrorNotice
          error={create.error}
          title="The client was not created."
          besideFields={['name', 'scopes']}
        />
      )}
      {created && (
        <Success>Created {created}. Store its secret, shown above; the client is listed below.</Success>
      )}
    </section>
  );
}
