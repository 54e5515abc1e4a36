import { useCallback, useEffect, useRef, useState } from 'react';
import type { Dispatch, FormEvent, RefObject, SetStateAction } from 'react';
import { useAction, useApi } from '../api/context';
import { ApiError } from '../api/problem';
import { useFocusOnResult } from './focus';

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export interface ReviewedPutOptions<T, F> {
  /** Where GET read the setting and PUT replaces it. */
  path: string;
  /** The setting as in force now. */
  initial: T;
  formOf: (value: T) => F;
  /** The browser's checks, with errors keyed by the API's field names. */
  check: (form: F) => Checked<T>;
  same: (a: T, b: T) => boolean;
  /** Said when the reviewed value is the one in force. */
  unchanged: string;
  /** Said once the PUT is saved. */
  saved: (value: T) => string;
}

export interface ReviewedPut<T, F> {
  current: T;
  form: F;
  setForm: Dispatch<SetStateAction<F>>;
  /** The value under review (the form is locked meanwhile). */
  review: T | undefined;
  message: string | undefined;
  /** The API's field errors, then the browser's (the latter win). */
  errors: Record<string, string>;
  apiErrors: Record<string, string>;
  setLocalErrors: Dispatch<SetStateAction<Record<string, string>>>;
  save: ReturnType<typeof useAction<[T], T>>;
  reviewButton: RefObject<HTMLButtonElement | null>;
  /**
   * For the card that holds the form and its messages: after each result (the browser's checks,
   * "nothing changed", the API's refusal, saved) the keyboard goes to the first field marked
   * invalid, else to the message.
   */
  resultRef: RefObject<HTMLElement | null>;
  startReview: (e: FormEvent) => void;
  cancel: () => void;
  confirm: () => Promise<T | undefined>;
}

/**
 * An admin setting (the points policy, the tiers) edited in two steps: review, where the browser
 * checks the form and the change is shown to confirm, then confirm, which PUTs it. Field errors
 * from the API go back to the form (the review closes so they can be edited). After every result
 * the keyboard goes to the first field marked invalid or to the message (`resultRef`); a Cancel
 * takes it back to the Review button.
 */
export function useReviewedPut<T, F>(options: ReviewedPutOptions<T, F>): ReviewedPut<T, F> {
  const { path, formOf, check, same } = options;
  const api = useApi();
  const [current, setCurrent] = useState(options.initial);
  const [form, setForm] = useState<F>(() => formOf(options.initial));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<T>();
  const [message, setMessage] = useState<string>();
  const reviewButton = useRef<HTMLButtonElement>(null);
  // A new object at each result, even one that reads the same as the last (the same mistake twice).
  const [result, setResult] = useState<object>();
  const resultRef = useFocusOnResult<HTMLElement>(result);
  // Back to the Review button after a Cancel, once the form is enabled again.
  const refocus = useRef(false);
  useEffect(() => {
    if (review || !refocus.current) return;
    refocus.current = false;
    reviewButton.current?.focus();
  }, [review]);
  const save = useAction(
    useCallback(
      (body: T) =>
        api.put<T>(path, body).catch((error: unknown) => {
          // Fields the API refused must be edited: back to the form.
          if (error instanceof ApiError && error.errors.length > 0) setReview(undefined);
          throw error;
        }),
      [api, path],
    ),
  );
  const apiErrors = save.error instanceof ApiError ? save.error.byField() : {};

  function startReview(e: FormEvent) {
    e.preventDefault();
    setMessage(undefined);
    save.setError(undefined);
    const checked = check(form);
    if (!checked.ok) {
      setLocalErrors(checked.errors);
      setResult({});
      return;
    }
    setLocalErrors({});
    if (same(checked.value, current)) {
      setMessage(options.unchanged);
      setResult({});
      return;
    }
    setReview(checked.value);
  }

  function cancel() {
    setReview(undefined);
    save.setError(undefined);
    refocus.current = true;
  }

  async function confirm() {
    if (!review) return undefined;
    const saved = await save.run(review);
    setResult({});
    if (!saved) return undefined;
    setReview(undefined);
    setCurrent(saved);
    setForm(formOf(saved));
    setMessage(options.saved(saved));
    return saved;
  }

  return {
    current,
    form,
    setForm,
    review,
    message,
    errors: { ...apiErrors, ...localErrors },
    apiErrors,
    setLocalErrors,
    save,
    reviewButton,
    resultRef,
    startReview,
    cancel,
    confirm,
  };
}
