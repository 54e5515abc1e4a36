import { render, screen } from '@testing-library/react';
import { Field } from './Field';

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
