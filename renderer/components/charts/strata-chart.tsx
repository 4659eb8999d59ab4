import { Bar, BarChart, CartesianGrid, LabelList, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type YAxisTickContentProps } from 'recharts';
import type { StratumRow } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { shareText } from '../../store/campaigns/selectors';
import { AxisLabel, labelWidthFor } from './axis-label';
import { seriesTextColor, tooltipStyles, useChartColors } from './theme-colors';

const MAX_BARS = 24;
/** Pixels per stratum: labels never overlap, however many strata there are. */
const ROW_HEIGHT = 26;
/** The label column grows with the longest label, up to about a third of a laptop-wide chart, so labels that differ only at their end stay apart. */
const MIN_LABEL_WIDTH = 160;
const MAX_LABEL_WIDTH = 380;

interface StratumBar {
  readonly name: string;
  readonly size: number;
  readonly control: number;
  /** Shares of the stratum, in percent: every stratum gets a full-length bar, the smallest too. */
  readonly LCG: number;
  readonly Test: number;
}

/**
 * Each stratum as one bar of its own 100 %: the LCG's share and Test's. A balanced split
 * shows the same share everywhere (the dashed line is the share of the whole audience),
 * and a stratum of 3 profiles is as visible as one of 30,000; its size is written beside
 * its bar. Long labels are cut to fit, with the full label on hover and in the tooltip.
 */
export function StrataChart({ strata }: { strata: readonly StratumRow[] }) {
  const colors = useChartColors();
  const shown = [...strata].sort((a, b) => b.size - a.size).slice(0, MAX_BARS);
  const data: StratumBar[] = shown.map((s) => {
    const lcg = s.size === 0 ? 0 : (100 * s.control) / s.size;
    return { name: s.label, size: s.size, control: s.control, LCG: lcg, Test: s.size === 0 ? 0 : 100 - lcg };
  });
  const total = strata.reduce((n, s) => n + s.size, 0);
  const overall = total === 0 ? 0 : (100 * strata.reduce((n, s) => n + s.control, 0)) / total;
  const labelWidth = labelWidthFor(data.map((d) => d.name), MIN_LABEL_WIDTH, MAX_LABEL_WIDTH);
  return (
    <div className="strata-chart">
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={ROW_HEIGHT * data.length + 64}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 64, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke={colors.grid} />
            <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={{ fill: colors.muted, fontSize: 11 }} stroke={colors.grid} unit=" %" />
            <YAxis
              type="category"
              dataKey="name"
              width={labelWidth}
              interval={0}
              stroke={colors.grid}
              tick={(props: YAxisTickContentProps) => (
                <AxisLabel x={Number(props.x)} y={Number(props.y)} text={String(props.payload.value)} width={labelWidth - 8} fill={colors.text} />
              )}
            />
            <Tooltip
              cursor={{ fill: colors.grid, opacity: 0.3 }}
              {...tooltipStyles(colors)}
              formatter={(_value, name, item) => {
                const bar = item.payload as StratumBar;
                const count = name === 'LCG' ? bar.control : bar.size - bar.control;
                return [`${formatCount(count)} (${shareText(count, bar.size)})`, name];
              }}
              labelFormatter={(label, payload) => `${String(label)}: ${formatCount((payload[0]?.payload as StratumBar | undefined)?.size ?? 0)} profiles`}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
            <ReferenceLine x={overall} stroke={colors.text} strokeDasharray="4 3" />
            <Bar dataKey="LCG" stackId="s" fill={colors.control} isAnimationActive={false} barSize={16} />
            <Bar dataKey="Test" stackId="s" fill={colors.test} isAnimationActive={false} barSize={16}>
              <LabelList dataKey="size" position="right" fill={colors.muted} fontSize={11} formatter={(v) => formatCount(Number(v))} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="field-hint">
        Each bar is one stratum's 100 %: LCG and Test; the dashed line is the whole audience's LCG share ({overall.toFixed(2)} %); the stratum's size is
        beside its bar.
        {strata.length > MAX_BARS ? ` The ${MAX_BARS} largest of ${formatCount(strata.length)} strata; the table lists them all.` : ''}
      </p>
    </div>
  );
}
