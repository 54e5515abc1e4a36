import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CampaignBar } from './stats';
import { formatCount } from './stats';

/** The stacked bars of CampaignsChart: recharts, so loaded only when a chart is shown (React.lazy). */
export default function CampaignsDrawing({ rows }: { rows: CampaignBar[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} layout="vertical" accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tickFormatter={(value: number) => formatCount(value)} />
        <YAxis type="category" dataKey="name" width={110} />
        <Tooltip formatter={(value) => formatCount(Number(value))} />
        <Legend />
        <Bar dataKey="issued" name="Issued" stackId="vouchers" fill="#0b5cad" isAnimationActive={false} />
        <Bar
          dataKey="remaining"
          name="Remaining"
          stackId="vouchers"
          fill="#9cb8d6"
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
