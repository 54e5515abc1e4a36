import type { Dispatch, SetStateAction } from 'react';
import { Field } from '../../ui/Field';
import type { EndpointForm } from './endpointForm';
import { EventChoices } from './EventChoices';

/** The URL, the events and the description of an endpoint, each with the API's error beneath. */
export function EndpointFields({
  form,
  setForm,
  errors,
  autoFocus = false,
}: {
  form: EndpointForm;
  setForm: Dispatch<SetStateAction<EndpointForm>>;
  errors: Partial<Record<keyof EndpointForm, string>>;
  /** The URL takes the keyboard as the form opens. */
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field
        label="URL"
        type="url"
        value={form.url}
        onChange={(e) => setForm((f) => ({ ...f, url: e.target.value }))}
        error={errors.url}
        hint="Where the events are POSTed: a public https:// address, e.g. https://crm.example.com/hooks/loyalty"
        maxLength={2000}
        autoComplete="off"
        spellCheck={false}
        required
        autoFocus={autoFocus}
      />
      <EventChoices
        value={form.events}
        onChange={(events) => setForm((f) => ({ ...f, events }))}
        error={errors.events}
      />
      <Field
        label="Description"
        value={form.description}
        onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))}
        error={errors.description}
        hint="Optional: whose it is or what it feeds, e.g. CRM sync (up to 500 characters)"
        maxLength={500}
        autoComplete="off"
      />
    </>
  );
}
