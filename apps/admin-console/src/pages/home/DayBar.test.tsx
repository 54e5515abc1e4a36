import { fireEvent, render, screen } from '@testing-library/react';
import type { BarShapeProps } from 'recharts';
import { DayBar, dayAfterKey } from './DayBar';

function bar(index: number): BarShapeProps {
  return {
    index,
    x: 10,
    y: 20,
    width: 8,
    height: 30,
    background: { x: 10, y: 0, width: 8, height: 50 },
    fill: '#1a7f37',
    payload: { date: '2026-12-06', earned: 1200, redeemed: 300, label: '6 Dec' },
  } as unknown as BarShapeProps;
}

describe('DayBar', () => {
  it("is a focus target named by the day's figures, in the Tab order only when it is the roving one", () => {
    const onKey = vi.fn();
    const onFocusDay = vi.fn();
    render(
      <svg>
        <DayBar bar={bar(3)} tabbable onKey={onKey} onFocusDay={onFocusDay} />
        <DayBar bar={bar(4)} tabbable={false} onKey={onKey} onFocusDay={onFocusDay} />
      </svg>,
    );
    const [day, other] = screen.getAllByRole('img', { name: '6 Dec 2026: 1,200 earned, 300 redeemed' });
    expect(day).toHaveAttribute('tabindex', '0');
    expect(other).toHaveAttribute('tabindex', '-1');
    fireEvent.focus(day);
    expect(onFocusDay).toHaveBeenCalledWith(3, expect.objectContaining({ date: '2026-12-06' }));
    fireEvent.blur(day);
    expect(onFocusDay).toHaveBeenLastCalledWith(3, undefined);
    fireEvent.keyDown(day, { key: 'ArrowRight' });
    expect(onKey).toHaveBeenCalledWith(3, expect.objectContaining({ key: 'ArrowRight' }));
  });

  it('tells when it is drawn, so that a day drawn anew can take the focus back', () => {
    const onMount = vi.fn((_: number, element: SVGGElement) => element.focus());
    render(
      <svg>
        <DayBar bar={bar(7)} tabbable onKey={vi.fn()} onFocusDay={vi.fn()} onMount={onMount} />
      </svg>,
    );
    expect(onMount).toHaveBeenCalledWith(7, expect.any(SVGGElement));
    expect(screen.getByRole('img')).toHaveFocus();
  });

  it('goes from day to day with the arrow keys, Home and End, and stops at the ends', () => {
    expect(dayAfterKey('ArrowRight', 3, 30)).toBe(4);
    expect(dayAfterKey('ArrowLeft', 3, 30)).toBe(2);
    expect(dayAfterKey('ArrowLeft', 0, 30)).toBe(0);
    expect(dayAfterKey('ArrowRight', 29, 30)).toBe(29);
    expect(dayAfterKey('Home', 12, 30)).toBe(0);
    expect(dayAfterKey('End', 12, 30)).toBe(29);
    expect(dayAfterKey('a', 12, 30)).toBeUndefined();
  });
});
