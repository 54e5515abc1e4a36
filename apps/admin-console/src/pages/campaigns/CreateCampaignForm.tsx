import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { Campaign } from '../../api/types';
import { Field } from '../../ui/Field';
import { ErrorNotice, Success } from '../../ui/Status';
import { campaignBody, EMPTY_CAMPAIGN_FORM } from './campaignBody';
import type { CampaignForm } from './campaignBody';
import { bindFields } from '../../ui/bindFields';

/** A new FIRST_LOGIN campaign; the API's field errors show beside their fields. */
export function CreateCampaignForm({ onCreated }: { onCreated: (campaign: Campaign) => void }) {
  const api = useApi();
  const [form, setForm] = useState<CampaignForm>(EMPTY_CAMPAIGN_FORM);
  const [created, setCreated] = useState<Campaign>();
  const create = useAction(
    useCallback(
      (body: ReturnType<typeof campaignBody>) => api.post<Campaign>('/v1/admin/campaigns', body),
      [api],
    ),
  );
  const errors = create.error instanceof ApiError ? create.error.byField() : {};
  const field = bindFields(form, setForm, errors);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    const campaign = await create.run(campaignBody(form));
    if (!campaign) return;
    setCreated(campaign);
    setForm(EMPTY_CAMPAIGN_FORM);
    onCreated(campaign);
  }

  return (
    <section className="card" aria-labelledby="create-campaign">
      <h2 id="create-campaign">Create a campaign</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Name" {...field('name')} required />
          <Field label="Description" {...field('description')} />
          <Field label="Discount %" type="number" min={1} max={100} {...field('discountPercent')} required />
          <Field
            label="Voucher limit"
            type="number"
            min={1}
            {...field('voucherLimit')}
            hint="The most vouchers it will ever issue"
            required
          />
          <Field
            label="Valid for (days)"
            type="number"
            min={1}
            {...field('voucherValidDays')}
            hint="Optional: the service's default when empty"
          />
          <Field
            label="Starts at"
            type="datetime-local"
            {...field('startsAt')}
            hint="Optional: now when empty (your local time)"
          />
          <Field
            label="Ends at"
            type="datetime-local"
            {...field('endsAt')}
            hint="Optional: open-ended when empty"
          />
          <div className="field">
            <span className="field-label">Trigger</span>
            <p className="muted">Given on a member&apos;s first login</p>
            {errors.trigger && <small className="field-error">{errors.trigger}</small>}
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create campaign'}
          </button>
        </div>
      </form>
      <ErrorNotice error={create.error} title="The campaign was not created." />
      {created && (
        <Success>
          Campaign “{created.name}” created; it is {created.status.toLowerCase()}.
        </Success>
      )}
    </section>
  );
}
