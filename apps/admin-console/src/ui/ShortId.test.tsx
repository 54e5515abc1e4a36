import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ShortId, shortId } from './ShortId';

describe('ShortId', () => {
  const id = '7b04b182-5d3c-4e1f-9a6b-0c2d3e4f5a6b';

  it('shows a UUID short, whole in its title, and copies the whole id', async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<ShortId id={id} what="group id" />);
    expect(screen.getByText('7b04b182…')).toHaveAttribute('title', id);
    await user.click(screen.getByRole('button', { name: `Copy group id ${id}` }));
    expect(writeText).toHaveBeenCalledWith(id);
    expect(screen.getByRole('button', { name: `Copied group id ${id}` })).toBeInTheDocument();
  });

  it('leaves short ids whole', () => {
    expect(shortId('system:auth')).toBe('system:auth');
    expect(shortId(id)).toBe('7b04b182…');
  });
});
