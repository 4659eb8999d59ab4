import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitVersion } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { VERSION_REASON_LABELS } from '../../store/campaigns/selectors';
import { seriesTextColor, useChartColors } from './theme-colors';

/**
 * The audience and the LCG target at each build, oldest first: how the split grew. The LCG is a
 * small share of the audience, so it has its own axis on the right; on the audience's
 * axis its line would lie flat near zero.
 */
export function HistoryChart({ versions }: { versions: readonly SplitVersion[] }) {
  const colors = useChartColors();
  const data = [...versions]
    .sort((a, b) => a.id - b.id)
    .map((v, i) => ({ name: `#${i + 1} ${VERSION_REASON_LABELS[v.reason]}`, clock: formatClock(v.clock), Audience: v.audience, LCG: v.controlTotal }));
  const tick = { fill: colors.muted, fontSize: 11 };
  return (
    <div className="chart-box" aria-hidden="true">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis dataKey="name" tick={tick} stroke={colors.grid} />
          <YAxis yAxisId="audience" tick={tick} stroke={colors.grid} tickFormatter={(v: number) => formatCount(v)} width={64} />
          <YAxis
            yAxisId="lcg"
            orientation="right"
            domain={[0, 'dataMax']}
            tick={{ ...tick, fill: colors.controlText }}
            stroke={colors.grid}
            tickFormatter={(v: number) => formatCount(v)}
            width={56}
          />
          <Tooltip
            contentStyle={{ background: colors.surface, borderColor: colors.grid, color: colors.text }}
            formatter={(value) => formatCount(Number(value))}
            labelFormatter={(label, payload) => `${String(label)} · ${String(payload[0]?.payload?.clock ?? '')}`}
          />
          <Legend
            wrapperStyle={{ fontSize: 12 }}
            formatter={(value: string, entry) => (
              <span style={{ color: seriesTextColor(colors, entry.color) }}>{value === 'LCG target' ? 'LCG target (right axis)' : value}</span>
            )}
          />
          <Line yAxisId="audience" type="monotone" dataKey="Audience" stroke={colors.test} strokeWidth={2} dot isAnimationActive={false} />
          <Line yAxisId="lcg" type="monotone" dataKey="LCG" name="LCG target" stroke={colors.control} strokeWidth={2} dot isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
