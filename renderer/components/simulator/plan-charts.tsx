import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SimHistogram, SimPlan, SimScan, SimSettings } from '../../../shared/contract/index';
import { formatCount, formatValue, formatShare, formatChange } from '../../../shared/format';
import { mdeByShareTable, metricText, powerByEffectTable } from '../../store/simulator/tables';
import { tooltipStyles, useChartColors } from '../charts/theme-colors';
import { ChartFrame } from './chart-frame';

const HEIGHT = 230;
const SHARE_TICKS = [0.5, 1, 2, 5, 10, 20, 50];
const MARGIN = { top: 12, right: 20, bottom: 22, left: 8 };

/** MDE against the LCG share (log scale, 0.5-50 %), the current share marked; relative when the baseline allows. */
export function MdeChart({ scan, plan, settings }: { scan: SimScan; plan: SimPlan; settings: SimSettings }) {
  const colors = useChartColors();
  const relative = plan.baseline.mean !== 0;
  const data = plan.charts.mdeByShare.map((p) => ({ percent: p.percent, mde: relative ? (p.relative === null ? null : p.relative * 100) : p.absolute }));
  const share = plan.sizes.controlShare * 100;
  const currentMde = plan.mde ? (relative ? (plan.mde.relative ?? 0) * 100 : plan.mde.absolute) : null;
  const inRange = share >= 0.5 && share <= 50;
  const tick = { fill: colors.muted, fontSize: 11 };
  const title = relative ? 'Relative MDE by LCG share' : `MDE of ${scan.metric.field} by LCG share`;
  const summary =
    plan.mde === null
      ? 'No MDE for these settings.'
      : `At the current LCG share of ${formatShare(plan.sizes.controlShare)} the MDE is ${relative ? formatChange(plan.mde.relative ?? 0) : formatValue(plan.mde.absolute)}${inRange ? ' (the marked point)' : ', outside the chart’s 0.5–50 %'}; a larger LCG detects smaller changes.`;
  return (
    <ChartFrame title={title} name="simulation-mde-by-share" summary={summary} table={mdeByShareTable(scan, plan)} testId="sim-mde-chart">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            dataKey="percent"
            type="number"
            scale="log"
            domain={[0.5, 50]}
            ticks={SHARE_TICKS}
            tick={tick}
            stroke={colors.grid}
            tickFormatter={(v: number) => `${v} %`}
            label={{ value: 'LCG share of the audience', position: 'insideBottom', offset: -12, fill: colors.muted, fontSize: 11 }}
          />
          <YAxis tick={tick} stroke={colors.grid} width={56} tickFormatter={(v: number) => (relative ? `${Number(v.toPrecision(3))} %` : formatValue(v))} />
          <Tooltip
            {...tooltipStyles(colors)}
            labelFormatter={(v) => `LCG ${String(v)} %`}
            formatter={(v) => [relative ? `${formatValue(Number(v))} %` : metricText(scan, Number(v)), 'MDE']}
          />
          {/* The target's label at the left, under its line: the curve is above it there, and the current point's "now" is at the right. */}
          {settings.targetMde !== null && relative && (
            <ReferenceLine y={settings.targetMde * 100} stroke={colors.muted} strokeDasharray="4 4" label={{ value: `target ${formatChange(settings.targetMde)}`, position: 'insideBottomLeft', fill: colors.text, fontSize: 11 }} />
          )}
          <Line type="monotone" dataKey="mde" stroke={colors.test} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          {inRange && <ReferenceLine x={share} stroke={colors.control} strokeDasharray="3 3" />}
          {inRange && currentMde !== null && <ReferenceDot x={share} y={currentMde} r={5} fill={colors.control} stroke={colors.surface} label={{ value: 'now', position: 'top', fill: colors.text, fontSize: 11 }} />}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** Power against the true relative effect at the current sizes; the target power and the typed effect marked. */
export function PowerChart({ plan, settings }: { plan: SimPlan; settings: SimSettings }) {
  const colors = useChartColors();
  const data = plan.charts.powerByEffect.map((p) => ({ effect: p.effect * 100, power: p.power * 100 }));
  const tick = { fill: colors.muted, fontSize: 11 };
  // Without a typed effect the current setting is the MDE itself: the effect detected with the target power.
  const mdePoint = plan.power === null && plan.mde?.relative != null ? { effect: plan.mde.relative * 100, power: settings.power * 100 } : null;
  const summary =
    plan.power === null
      ? mdePoint
        ? `The marked point is the MDE, ${formatChange(mdePoint.effect / 100)}: the effect detected with the target power of ${formatShare(settings.power)} (the dashed line). Type a true effect to mark its power.`
        : `The dashed line is the target power of ${formatShare(settings.power)}; type a true effect to mark its power.`
      : `With a true effect of ${formatChange(plan.power.effect)} the power is ${formatShare(plan.power.power)} (the marked point); the dashed line is the target of ${formatShare(settings.power)}.`;
  return (
    <ChartFrame title="Power by true effect" name="simulation-power-by-effect" summary={summary} table={powerByEffectTable(plan)} testId="sim-power-chart">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            dataKey="effect"
            type="number"
            domain={['dataMin', 'auto']}
            tick={tick}
            stroke={colors.grid}
            tickFormatter={(v: number) => `${v > 0 ? '+' : ''}${Number(v.toPrecision(3))} %`}
            label={{ value: 'True effect, relative', position: 'insideBottom', offset: -12, fill: colors.muted, fontSize: 11 }}
          />
          <YAxis domain={[0, 100]} ticks={[0, 20, 40, 60, 80, 100]} tick={tick} stroke={colors.grid} width={48} tickFormatter={(v: number) => `${v} %`} />
          <Tooltip {...tooltipStyles(colors)} labelFormatter={(v) => `Effect ${formatChange(Number(v) / 100)}`} formatter={(v) => [`${formatValue(Number(v))} %`, 'Power']} />
          <ReferenceLine y={settings.power * 100} stroke={colors.muted} strokeDasharray="4 4" label={{ value: `target ${formatShare(settings.power)}`, position: 'insideBottomRight', fill: colors.text, fontSize: 11 }} />
          <Line type="monotone" dataKey="power" stroke={colors.test} strokeWidth={2} dot={false} isAnimationActive={false} />
          {plan.power && <ReferenceLine x={plan.power.effect * 100} stroke={colors.control} strokeDasharray="3 3" />}
          {plan.power && <ReferenceDot x={plan.power.effect * 100} y={plan.power.power * 100} r={5} fill={colors.control} stroke={colors.surface} />}
          {mdePoint && <ReferenceLine x={mdePoint.effect} stroke={colors.control} strokeDasharray="3 3" />}
          {mdePoint && <ReferenceDot x={mdePoint.effect} y={mdePoint.power} r={5} fill={colors.control} stroke={colors.surface} label={{ value: 'MDE', position: 'left', fill: colors.text, fontSize: 11 }} />}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** A Monte Carlo histogram: replicates per bin of the Test − LCG difference. */
export function HistogramChart({
  title,
  name,
  histogram,
  summary,
  binary,
  marker,
  testId,
}: {
  title: string;
  name: string;
  histogram: SimHistogram;
  summary: string;
  /** A rate's differences are drawn in percentage points, a mean's as they are. */
  binary: boolean;
  marker?: number;
  testId?: string;
}) {
  const colors = useChartColors();
  const scale = binary ? 100 : 1;
  const data = histogram.counts.map((count, i) => {
    const from = (histogram.edges[i] ?? 0) * scale;
    const to = (histogram.edges[i + 1] ?? from) * scale;
    return { mid: (from + to) / 2, from, to, count };
  });
  const unit = binary ? ' points' : '';
  const tick = { fill: colors.muted, fontSize: 11 };
  return (
    <ChartFrame title={title} name={name} summary={summary} testId={testId}>
      <ResponsiveContainer width="100%" height={190}>
        <BarChart data={data} margin={MARGIN} barCategoryGap={1} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis
            dataKey="mid"
            type="number"
            domain={['auto', 'auto']}
            tick={tick}
            stroke={colors.grid}
            tickFormatter={(v: number) => String(Number(v.toPrecision(2))).replace(/^-/, '−')}
            label={{ value: binary ? 'Test − LCG difference of the rate, percentage points' : 'Test − LCG difference of the mean', position: 'insideBottom', offset: -12, fill: colors.muted, fontSize: 11 }}
          />
          <YAxis tick={tick} stroke={colors.grid} width={48} tickFormatter={(v: number) => formatCount(v)} />
          <Tooltip
            {...tooltipStyles(colors)}
            cursor={{ fill: colors.grid, opacity: 0.3 }}
            labelFormatter={(_, payload) => {
              const p = payload[0]?.payload as { from: number; to: number } | undefined;
              return p ? `${formatValue(p.from)} to ${formatValue(p.to)}${unit}` : '';
            }}
            formatter={(v) => [formatCount(Number(v)), 'Replicates']}
          />
          <Bar dataKey="count" fill={colors.test} isAnimationActive={false} />
          {marker !== undefined && <ReferenceLine x={marker} stroke={colors.control} strokeDasharray="3 3" />}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
