import { memo, useCallback, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BarShapeProps } from 'recharts';
import { DayBar, dayAfterKey } from './DayBar';
import type { ChartDay } from './stats';
import { formatCount } from './stats';

const EARNED = '#1a7f37';
const REDEEMED = '#cf222e';
const countTick = (value: number) => formatCount(value);
const countTooltip = (value: unknown) => formatCount(Number(value));

/**
 * The bars of PointsChart: recharts, so loaded only when a chart is shown (React.lazy). Each day
 * is a named focus target (DayBar); the latest day is the one Tab reaches first.
 *
 * Every prop given to recharts stays the same object from one render to the next (memo, module
 * functions, a shape that reads the roving day from a ref): recharts redraws its bars from scratch
 * when one changes, and a redrawn bar loses the keyboard focus.
 */
function PointsDrawing({
  rows,
  onFocusDay,
}: {
  rows: ChartDay[];
  onFocusDay: (day: ChartDay | undefined) => void;
}) {
  const chart = useRef<HTMLDivElement>(null);
  // The day in the Tab order; moved by the arrow keys in the DOM itself (a roving tabindex).
  const active = useRef(rows.length - 1);
  const count = useRef(rows.length);
  count.current = rows.length;
  // The day that has the focus. recharts draws the bars anew when the chart's size changes; the
  // day drawn anew takes the focus back if it had it (the focus fell to the page's body meanwhile).
  const focused = useRef<number | undefined>(undefined);

  const onDayFocus = useCallback(
    (index: number, day: ChartDay | undefined) => {
      if (day) {
        focused.current = index;
        onFocusDay(day);
        return;
      }
      // Left for good, or only redrawn? Known once the focus has settled.
      setTimeout(() => {
        const now = document.activeElement;
        if (now && now !== document.body && !chart.current?.contains(now)) {
          focused.current = undefined;
          onFocusDay(undefined);
        }
      }, 0);
    },
    [onFocusDay],
  );

  const onMount = useCallback((index: number, element: SVGGElement) => {
    const now = document.activeElement;
    if (focused.current === index && (now === null || now === document.body)) element.focus();
  }, []);

  const onKey = useCallback((index: number, event: KeyboardEvent<SVGGElement>) => {
    const to = dayAfterKey(event.key, index, count.current);
    if (to === undefined) return;
    event.preventDefault();
    const next = chart.current?.querySelector<SVGGElement>(`[data-day-index="${to}"]`);
    if (!next) return;
    event.currentTarget.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    active.current = to;
    next.focus();
  }, []);

  const shape = useCallback(
    (bar: BarShapeProps) => (
      <DayBar
        bar={bar}
        tabbable={bar.index === Math.min(active.current, count.current - 1)}
        onKey={onKey}
        onFocusDay={onDayFocus}
        onMount={onMount}
      />
    ),
    [onKey, onDayFocus, onMount],
  );

  return (
    <div ref={chart} className="chart-surface">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" minTickGap={12} />
          <YAxis allowDecimals={false} tickFormatter={countTick} width={56} />
          <Tooltip formatter={countTooltip} />
          <Legend />
          {/* No animation: the figures reload every 5 s and must not replay each time. */}
          <Bar dataKey="earned" name="Earned" fill={EARNED} isAnimationActive={false} shape={shape} />
          <Bar dataKey="redeemed" name="Redeemed" fill={REDEEMED} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export default memo(PointsDrawing);
