import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useAction, useApi } from '../../api/context';
import { ApiError } from '../../api/problem';
import type { CouponBook } from '../../api/types';
import { Field } from '../../ui/Field';
import { useFocusOnResult } from '../../ui/focus';
import { ErrorNotice, Success } from '../../ui/Status';
import { BOOK_FIELDS, bookFormProblems } from './bookChecks';
import { bookBody, EMPTY_BOOK_FORM } from './bookBody';
import type { BookForm } from './bookBody';
import { NothingSent } from '../campaigns/NothingSent';
import { bindFields } from '../../ui/bindFields';

/** libs/coupons: the defaults the API applies when pattern or charset is left empty. */
const DEFAULT_PATTERN = '########';
const DEFAULT_CHARSET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new coupon book; the API's field errors show beside their fields. */
export function CreateBookForm({ onCreated }: { onCreated: (book: CouponBook) => void }) {
  const api = useApi();
  const [form, setForm] = useState<BookForm>(EMPTY_BOOK_FORM);
  const [created, setCreated] = useState<CouponBook>();
  const create = useAction(
    useCallback(
      (body: ReturnType<typeof bookBody>) => api.post<CouponBook>('/v1/admin/coupon-books', body),
      [api],
    ),
  );
  const [problems, setProblems] = useState<Record<string, string>>({});
  // A refusal (here or by the API) moves focus to the first invalid field or the message; a
  // success does not: the new book opens below and its heading takes the focus.
  const [refusal, setRefusal] = useState<object>();
  const card = useFocusOnResult<HTMLElement>(refusal);
  const errors = { ...(create.error instanceof ApiError ? create.error.byField() : {}), ...problems };
  const field = bindFields(form, setForm, errors);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    create.setError(undefined);
    const found = bookFormProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      setRefusal({});
      return;
    }
    const book = await create.run(bookBody(form));
    if (!book) {
      setRefusal({});
      return;
    }
    setCreated(book);
    setForm(EMPTY_BOOK_FORM);
    onCreated(book);
  }

  return (
    <section className="card" aria-labelledby="create-book" ref={card}>
      <h2 id="create-book">Create a coupon book</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid">
          <Field label="Name" {...field('name')} required />
          <Field label="Description" {...field('description')} />
          <Field
            label="Code pattern"
            {...field('codePattern')}
            placeholder={DEFAULT_PATTERN}
            hint={`e.g. SAVE-####-####: each # is one random character of the charset, the rest is literal (letters, digits, - or _). Optional: ${DEFAULT_PATTERN} when empty.`}
          />
          <Field
            label="Charset"
            {...field('charset')}
            placeholder={DEFAULT_CHARSET}
            hint="Optional: the characters # draws from (2-64, no repeats); no 0/O or 1/I by default."
          />
          <Field
            label="Max codes per user"
            type="number"
            min={1}
            {...field('maxCodesPerUser')}
            hint="Optional: unlimited when empty"
          />
          <Field
            label="Max redemptions per user"
            type="number"
            min={1}
            {...field('maxRedemptionsPerUser')}
            hint="Optional: unlimited when empty"
          />
          <Field
            label="Starts at"
            type="datetime-local"
            {...field('startsAt')}
            hint="Optional (your local time)"
          />
          <Field
            label="Ends at"
            type="datetime-local"
            {...field('endsAt')}
            hint="Optional: after the start"
          />
          <div className={errors.allowMultipleRedemptions ? 'field field-invalid' : 'field'}>
            <label className="check">
              <input
                type="checkbox"
                checked={form.allowMultipleRedemptions}
                onChange={(e) => setForm((f) => ({ ...f, allowMultipleRedemptions: e.target.checked }))}
              />
              Allow multiple redemptions
            </label>
            {errors.allowMultipleRedemptions && (
              <small className="field-error">{errors.allowMultipleRedemptions}</small>
            )}
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={create.pending}>
            {create.pending ? 'Creating…' : 'Create book'}
          </button>
        </div>
      </form>
      <ErrorNotice error={create.error} title="The coupon book was not created." besideFields={BOOK_FIELDS} />
      <NothingSent problems={problems} />
      {created && <Success>Coupon book “{created.name}” created and opened below.</Success>}
    </section>
  );
}
