import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitVersion } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { useChartColors } from './theme-colors';

/** The audience and the LCG at each build, oldest first: how the split grew. */
export function HistoryChart({ versions }: { versions: readonly SplitVersion[] }) {
  const colors = useChartColors();
  const data = [...versions]
    .sort((a, b) => a.id - b.id)
    .map((v, i) => ({ name: `#${i + 1}`, clock: formatClock(v.clock), Audience: v.audience, LCG: v.controlTotal }));
  return (
    <div className="chart-box" aria-hidden="true">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis dataKey="name" tick={{ fill: colors.muted, fontSize: 11 }} stroke={colors.grid} />
          <YAxis tick={{ fill: colors.muted, fontSize: 11 }} stroke={colors.grid} tickFormatter={(v: number) => formatCount(v)} width={64} />
          <Tooltip
            contentStyle={{ background: colors.surface, borderColor: colors.grid, color: colors.text }}
            formatter={(value) => formatCount(Number(value))}
            labelFormatter={(label, payload) => `${String(label)} · ${String(payload[0]?.payload?.clock ?? '')}`}
          />
          <Legend wrapperStyle={{ fontSize: 12, color: colors.muted }} />
          <Line type="monotone" dataKey="Audience" stroke={colors.test} strokeWidth={2} dot isAnimationActive={false} />
          <Line type="monotone" dataKey="LCG" stroke={colors.control} strokeWidth={2} dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
