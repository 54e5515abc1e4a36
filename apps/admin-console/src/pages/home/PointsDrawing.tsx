import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartDay } from './stats';
import { formatCount } from './stats';

const EARNED = '#1a7f37';
const REDEEMED = '#cf222e';

/** The bars of PointsChart: recharts, so loaded only when a chart is shown (React.lazy). */
export default function PointsDrawing({ rows }: { rows: ChartDay[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" minTickGap={12} />
        <YAxis allowDecimals={false} />
        <Tooltip formatter={(value) => formatCount(Number(value))} />
        <Legend />
        {/* No animation: the figures reload every 5 s and must not replay each time. */}
        <Bar dataKey="earned" name="Earned" fill={EARNED} isAnimationActive={false} />
        <Bar dataKey="redeemed" name="Redeemed" fill={REDEEMED} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
