import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Pager, pageLabel, useCursorPages } from './Pager';

function List({ nextCursor, total }: { nextCursor: string | null; total?: number }) {
  const pages = useCursorPages();
  return (
    <>
      <p data-testid="cursor">{pages.cursor ?? 'first'}</p>
      <Pager
        label="Users"
        pageNumber={pages.pageNumber}
        nextCursor={nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        total={total}
        pageSize={20}
        noun={['user', 'users']}
      />
    </>
  );
}

describe('Pager', () => {
  beforeEach(() => window.history.replaceState(null, '', '/admin/users?query=ann'));

  it('says which page of how many, and how many in all', () => {
    expect(pageLabel(2, 1047, 20)).toBe('Page 2 of 53');
    expect(pageLabel(1, 0, 20)).toBe('Page 1 of 1');
    expect(pageLabel(3, undefined, 20)).toBe('Page 3');
    render(<List nextCursor="c2" total={1047} />);
    expect(screen.getByRole('navigation', { name: 'Users pages' })).toHaveTextContent(
      'Page 1 of 53 · 1,047 users',
    );
  });

  it('keeps the page in the URL, next to the search, and goes back with Previous and with Back', async () => {
    const user = userEvent.setup();
    const view = render(<List nextCursor="c2" total={45} />);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(window.location.search).toBe('?query=ann&page=2&cursor=c2');
    expect(screen.getByTestId('cursor')).toHaveTextContent('c2');
    view.rerender(<List nextCursor="c3" total={45} />);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(window.location.search).toBe('?query=ann&page=3&cursor=c3');
    expect(screen.getByRole('navigation', { name: 'Users pages' })).toHaveTextContent('Page 3 of 3');

    // A reload keeps the URL and history.state: the same page, and Previous still knows page 2.
    view.unmount();
    render(<List nextCursor={null} total={45} />);
    expect(screen.getByTestId('cursor')).toHaveTextContent('c3');
    await user.click(screen.getByRole('button', { name: '← Previous' }));
    expect(window.location.search).toBe('?query=ann&page=2&cursor=c2');
    await user.click(screen.getByRole('button', { name: '← Previous' }));
    expect(window.location.search).toBe('?query=ann');
    expect(screen.getByTestId('cursor')).toHaveTextContent('first');
  });

  it('follows Back in the browser', async () => {
    const user = userEvent.setup();
    render(<List nextCursor="c2" />);
    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(screen.getByTestId('cursor')).toHaveTextContent('c2');
    await act(async () => {
      window.history.back();
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    });
    expect(screen.getByTestId('cursor')).toHaveTextContent('first');
  });
});
