import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPoints } from './adjustment';

/** The bars of Balance: recharts, so loaded only when a chart is shown (React.lazy). */
export default function PayersDrawing({ rows }: { rows: Array<{ payer: string; points: number }> }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="payer" />
        <YAxis allowDecimals={false} tickFormatter={(value: number) => formatPoints(value)} />
        <Tooltip formatter={(value) => formatPoints(Number(value))} />
        <Bar dataKey="points" name="Points" fill="#0b5cad" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
