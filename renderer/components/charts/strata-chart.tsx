import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StratumRow } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { seriesTextColor, useChartColors } from './theme-colors';

const MAX_BARS = 24;

/** Each stratum's size split into LCG and Test: a balanced split shows the same share everywhere. */
export function StrataChart({ strata }: { strata: readonly StratumRow[] }) {
  const colors = useChartColors();
  const shown = [...strata].sort((a, b) => b.size - a.size).slice(0, MAX_BARS);
  const data = shown.map((s) => ({ name: s.label, LCG: s.control, Test: s.size - s.control }));
  return (
    <div className="chart-box" aria-hidden="true">
      <ResponsiveContainer width="100%" height={Math.max(120, 24 * data.length + 60)}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid horizontal={false} stroke={colors.grid} />
          <XAxis type="number" tick={{ fill: colors.muted, fontSize: 11 }} stroke={colors.grid} tickFormatter={(v: number) => formatCount(v)} />
          <YAxis type="category" dataKey="name" width={180} tick={{ fill: colors.text, fontSize: 11 }} stroke={colors.grid} interval={0} />
          <Tooltip
            cursor={{ fill: colors.grid, opacity: 0.3 }}
            contentStyle={{ background: colors.surface, borderColor: colors.grid, color: colors.text }}
            formatter={(value) => formatCount(Number(value))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
          <Bar dataKey="LCG" stackId="s" fill={colors.control} isAnimationActive={false} barSize={14} />
          <Bar dataKey="Test" stackId="s" fill={colors.test} isAnimationActive={false} barSize={14} />
        </BarChart>
      </ResponsiveContainer>
      {strata.length > MAX_BARS && <p className="field-hint">The {MAX_BARS} largest of {strata.length} strata.</p>}
    </div>
  );
}
