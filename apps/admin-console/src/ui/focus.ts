import { useEffect, useRef } from 'react';

/**
 * Where the keyboard goes after an async result inside `container` (a form, a card): the first
 * field marked invalid, else the first alert or status message, which is made focusable for it.
 * Keyboard and screen-reader users then land on what needs them instead of the top of the page.
 */
export function focusFirstProblem(container: HTMLElement | null): boolean {
  if (!container) return false;
  const invalid = container.querySelector<HTMLElement>(
    'input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"], fieldset[aria-invalid="true"] input',
  );
  if (invalid) {
    invalid.focus();
    return true;
  }
  return focusMessage(container);
}

/** Focuses the first alert, else the first status message, inside `container`. */
export function focusMessage(container: HTMLElement | null): boolean {
  const message =
    container?.querySelector<HTMLElement>('[role="alert"]') ??
    container?.querySelector<HTMLElement>('[role="status"]:not(:empty)');
  if (!message) return false;
  if (!message.hasAttribute('tabindex')) message.setAttribute('tabindex', '-1');
  message.focus();
  return true;
}

/**
 * A ref for a form or card: each time `result` changes to something (an error, a success, a
 * refusal), once React has drawn it, focus moves to the first invalid field or to the message.
 */
export function useFocusOnResult<T extends HTMLElement>(result: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (result) focusFirstProblem(ref.current);
  }, [result]);
  return ref;
}

/** Scrolls a new row into view and marks it for a moment, after a create says it succeeded. */
export function revealRow(elementId: string): void {
  const row = document.getElementById(elementId);
  if (!row) return;
  row.classList.add('row-new');
  row.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  setTimeout(() => row.classList.remove('row-new'), 4000);
}
