import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { Campaign } from '../../api/types';
import { NothingSent } from './NothingSent';
import { bindFields } from '../../ui/bindFields';
import { Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { Success } from '../../ui/Status';
import { campaignBody, EMPTY_CAMPAIGN_FORM } from './campaignBody';
import type { CampaignForm } from './campaignBody';
import { CAMPAIGN_FIELDS, campaignFormProblems } from './campaignChecks';
import { CampaignProblem } from './CampaignProblem';

/**
 * A new FIRST_LOGIN campaign. What the browser can check is checked before sending; the API's
 * field errors show beside their fields; after every result the keyboard goes to the first
 * invalid field or to the message.
 */
export function CreateCampaignForm({ onCreated }: { onCreated: (campaign: Campaign) => void }) {
  const api = useApi();
  const [form, setForm] = useState<CampaignForm>(EMPTY_CAMPAIGN_FORM);
  const [created, setCreated] = useState<Campaign>();
  const [problems, setProblems] = useState<Record<string, string>>({});
  // A new object after each submit's outcome, so focus moves even when the outcome repeats.
  const [outcome, setOutcome] = useState<object>();
  const card = useFocusOnResult<HTMLElement>(outcome);
  const create = useAction(
    useCallback(
      (body: ReturnType<typeof campaignBody>) => api.post<Campaign>('/v1/admin/campaigns', body),
      [api],
    ),
  );
  const errors = { ...(create.error instanceof ApiError ? create.error.byField() : {}), ...problems };
  const field = bindFields(form, setForm, errors);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    create.setError(undefined);
    const found = campaignFormProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      setOutcome({});
      return;
    }
    const campaign = await create.run(campaignBody(form));
    setOutcome({});
    if (!campaign) return;
    setCreated(campaign);
    setForm(EMPTY_CAMPAIGN_FORM);
    onCreated(campaign);
  }

  return (
    <section className="card" aria-labelledby="create-campaign" ref={card}>
      <h2 id="create-campaign">Create a campaign</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Name" {...field('name')} required />
          <Field label="Description" {...field('description')} />
          <Field
            label="Discount %"
            type="number"
            min={1}
            max={100}
            {...field('discountPercent')}
            hint="1 to 100"
            required
          />
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
            hint="Optional: open-ended when empty; after the start"
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
      <CampaignProblem
        error={create.error}
        title="The campaign was not created."
        besideFields={CAMPAIGN_FIELDS}
      />
      <NothingSent problems={problems} />
      {created && (
        <Success>
          Campaign “{created.name}” created. It is {created.status.toLowerCase()}, and highlighted in the list
          below.
        </Success>
      )}
    </section>
  );
}
