import { useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { Rectangle } from 'recharts';
import type { BarShapeProps } from 'recharts';
import type { ChartDay } from './stats';
import { describeDay } from './stats';

/** recharts' default gap between the bars of one day (Bar's barGap). */
const BAR_GAP = 4;

/** Which day the arrow keys go to from `index` among `count` days; undefined for other keys. */
export function dayAfterKey(key: string, index: number, count: number): number | undefined {
  const to = {
    ArrowRight: index + 1,
    ArrowDown: index + 1,
    ArrowLeft: index - 1,
    ArrowUp: index - 1,
    Home: 0,
    End: count - 1,
  }[key];
  return to === undefined ? undefined : Math.max(0, Math.min(count - 1, to));
}

/**
 * One day of the points chart: the earned bar as recharts draws it, inside a focus target named
 * in words ("6 Dec 2026: 1,200 earned, 300 redeemed") that covers the day's two bars. One day at
 * a time is in the Tab order (a roving tabindex): the arrow keys, Home and End go from day to day.
 */
export function DayBar({
  bar,
  tabbable,
  onKey,
  onFocusDay,
  onMount,
}: {
  bar: BarShapeProps;
  tabbable: boolean;
  onKey: (index: number, event: KeyboardEvent<SVGGElement>) => void;
  onFocusDay: (index: number, day: ChartDay | undefined) => void;
  /** Told when recharts draws this day anew (a resize does): it may need the focus back. */
  onMount?: (index: number, element: SVGGElement) => void;
}) {
  const day = bar.payload as ChartDay;
  const element = useRef<SVGGElement>(null);
  const index = bar.index;
  useLayoutEffect(() => {
    if (element.current) onMount?.(index, element.current);
  }, [onMount, index]);
  const band = bar.background ?? { x: bar.x, y: bar.y, width: bar.width, height: bar.height };
  return (
    <g
      ref={element}
      className="day-bar"
      data-day-index={bar.index}
      role="img"
      aria-label={describeDay(day)}
      tabIndex={tabbable ? 0 : -1}
      onKeyDown={(e) => onKey(bar.index, e)}
      onFocus={() => onFocusDay(bar.index, day)}
      onBlur={() => onFocusDay(bar.index, undefined)}
    >
      <rect
        className="day-focus"
        x={band.x ?? bar.x}
        y={band.y ?? bar.y}
        width={band.width * 2 + BAR_GAP}
        height={band.height}
        fill="transparent"
      />
      <Rectangle x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.fill} />
    </g>
  );
}
