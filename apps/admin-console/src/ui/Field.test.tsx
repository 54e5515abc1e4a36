import { render, screen } from '@testing-library/react';
import { CheckboxGroup, Field } from './Field';
import { focusFirstProblem } from './focus';

describe('Field', () => {
  it('ties the label, and the API error beneath, to its input', () => {
    render(<Field label="Email" error="email must be an email address" defaultValue="x" />);
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('email must be an email address');
  });

  it('is plain when the API has nothing to say about it', () => {
    render(<Field label="Phone" />);
    expect(screen.getByLabelText('Phone')).not.toHaveAttribute('aria-invalid');
  });
});

describe('CheckboxGroup', () => {
  it('marks its boxes invalid with the error, so focus after a refusal lands on the first', () => {
    const container = document.createElement('div');
    document.body.append(container);
    render(
      <CheckboxGroup
        legend="Roles"
        options={['member', 'admin']}
        value={[]}
        onChange={() => undefined}
        error="needs at least one choice"
      />,
      { container },
    );
    expect(screen.getByRole('group', { name: 'Roles' })).toHaveAccessibleDescription(
      'needs at least one choice',
    );
    expect(focusFirstProblem(container)).toBe(true);
    expect(screen.getByRole('checkbox', { name: 'member' })).toHaveFocus();
  });
});
