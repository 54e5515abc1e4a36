import { render, screen } from '@testing-library/react';
import { useState } from 'react';
import userEvent from '@testing-library/user-event';
import { Field } from './Field';
import { focusFirstProblem, useFocusOnResult } from './focus';

function Form({ outcome }: { outcome: 'invalid' | 'refused' | 'saved' }) {
  const [result, setResult] = useState<string>();
  const ref = useFocusOnResult<HTMLFormElement>(result);
  return (
    <form
      ref={ref}
      onSubmit={(e) => {
        e.preventDefault();
        setResult(outcome + Math.random());
      }}
    >
      <Field label="Name" />
      <Field label="Count" error={result && outcome === 'invalid' ? 'must be at least 1' : undefined} />
      {result && outcome === 'refused' && <div role="alert">That did not work.</div>}
      {result && outcome === 'saved' && <p role="status">Saved.</p>}
      <button type="submit">Save</button>
    </form>
  );
}

describe('focus after an async result', () => {
  it('goes to the first invalid field', async () => {
    const user = userEvent.setup();
    render(<Form outcome="invalid" />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByLabelText('Count')).toHaveFocus();
  });

  it('goes to the refusal, or to the success message, when no field is at fault', async () => {
    const user = userEvent.setup();
    const view = render(<Form outcome="refused" />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert')).toHaveFocus();
    view.unmount();
    render(<Form outcome="saved" />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('status')).toHaveFocus();
  });

  it('does nothing without a container or a message', () => {
    expect(focusFirstProblem(null)).toBe(false);
    expect(focusFirstProblem(document.createElement('div'))).toBe(false);
  });
});
