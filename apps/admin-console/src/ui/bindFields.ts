/** The keys of a form whose values are text (what an <input> edits). */
type TextKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F] & string;

/**
 * What a text <Field> of a form needs — its value, its change handler and the API's error for it —
 * so a form writes `<Field label="Email" {...field('email')} />` instead of the three props each
 * time. `normalize` adjusts a key's text as it is typed (upper-casing a payer, say).
 */
export function bindFields<F>(
  form: F,
  update: (change: (current: F) => F) => void,
  errors: Partial<Record<string, string>>,
  normalize: Partial<Record<TextKey<F>, (text: string) => string>> = {},
) {
  return (key: TextKey<F>) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => {
      const text = normalize[key]?.(e.target.value) ?? e.target.value;
      update((current) => ({ ...current, [key]: text }));
    },
    error: errors[key],
  });
}
