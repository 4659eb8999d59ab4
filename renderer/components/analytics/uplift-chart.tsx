import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalysisResult, DailyUplift } from '../../../shared/contract/analytics';
import { formatCount } from '../../../shared/format';
import { confidenceText, differenceText, intervalText } from '../../../shared/analytics/analysis-text';
import { dailyTable, dayText } from '../../store/analytics/tables';
import { axisTickText, clockMs, timeDomain, timeTicks } from '../../store/timeline/selectors';
import { seriesTextColor, tooltipStyles, useChartColors, type ChartColors } from '../charts/theme-colors';
import { ChartFrame } from '../simulator/chart-frame';

/** A day of the chart: the uplift and its two bands, in the unit drawn (percentage points for a rate). */
interface DayItem {
  readonly x: number;
  readonly day: string;
  readonly test: number;
  readonly lcg: number;
  readonly uplift: number | null;
  readonly interval: [number, number] | null;
  readonly sequential: [number, number] | null;
  /** The engine's figures of the day, for the tooltip's words. */
  readonly source: DailyUplift;
}

const dayMs = (day: string) => clockMs(`${day}T00:00`);

/**
 * The cumulative uplift at the end of each day on the project clock, with its interval
 * and the wider interval that allows for looking every day, and the zero line. Hidden from
 * screen readers like every chart here: its figures are in the table of days beside it and
 * in its CSV.
 */
export function UpliftChart({ result }: { result: AnalysisResult }) {
  const colors = useChartColors();
  const { binary } = result;
  const scale = binary ? 100 : 1;
  const items: DayItem[] = result.daily.map((d) => ({
    x: dayMs(d.day),
    day: d.day,
    test: d.testProfiles,
    lcg: d.lcgProfiles,
    uplift: d.uplift ? d.uplift.estimate * scale : null,
    interval: d.uplift ? [d.uplift.low * scale, d.uplift.high * scale] : null,
    sequential: d.sequential ? [d.sequential[0] * scale, d.sequential[1] * scale] : null,
    source: d,
  }));
  const domain = timeDomain(result.daily.map((d) => `${d.day}T00:00`));
  const span = domain[1] - domain[0];
  const crossesYear = new Date(domain[0]).getUTCFullYear() !== new Date(domain[1]).getUTCFullYear();
  const tick = { fill: colors.muted, fontSize: 11 };
  const level = confidenceText(result.confidence);
  return (
    <ChartFrame title="Cumulative uplift by day" name="analysis-uplift-by-day" summary={chartSummary(result)} table={dailyTable(result)} testId="analytics-chart">
      <ResponsiveContainer width="100%" height={230}>
        <ComposedChart data={items} margin={{ top: 8, right: 20, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            type="number"
            dataKey="x"
            scale="time"
            domain={domain}
            ticks={timeTicks(domain)}
            allowDataOverflow
            tick={tick}
            stroke={colors.grid}
            tickFormatter={(ms: number) => axisTickText(ms, Math.max(span, 4 * 86_400_000), crossesYear)}
          />
          <YAxis tick={tick} stroke={colors.grid} width={64} tickFormatter={(v: number) => `${Number(v.toPrecision(3))}`.replace(/^-/, '−')} label={{ value: binary ? 'points' : 'uplift', angle: -90, position: 'insideLeft', fill: colors.muted, fontSize: 11 }} />
          <Tooltip {...tooltipStyles(colors)} content={(props) => <DayTip colors={colors} binary={binary} level={level} item={itemOf(props.payload)} />} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
          {items.some((i) => i.sequential !== null) && <Area dataKey="sequential" name="Interval allowing daily looks" legendType="square" stroke="none" fill={colors.control} fillOpacity={0.18} isAnimationActive={false} activeDot={false} connectNulls={false} />}
          <Area dataKey="interval" name={`${level} interval`} legendType="square" stroke="none" fill={colors.test} fillOpacity={0.3} isAnimationActive={false} activeDot={false} connectNulls={false} />
          <ReferenceLine y={0} stroke={colors.text} strokeDasharray="4 3" />
          <Line
            dataKey="uplift"
            name="Uplift"
            stroke={colors.test}
            strokeWidth={2}
            isAnimationActive={false}
            connectNulls={false}
            dot={(props: { cx?: number; cy?: number; index?: number; payload?: DayItem }) => <DayDot key={props.index} cx={props.cx} cy={props.cy} item={props.payload} colors={colors} />}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** A day's point on the line; the day is on it for tests and tools that read the chart. */
function DayDot({ cx, cy, item, colors }: { cx: number | undefined; cy: number | undefined; item: DayItem | undefined; colors: ChartColors }) {
  if (cx === undefined || cy === undefined || !item || item.uplift === null) return <g />;
  return <circle className="analytics-day-dot" data-day={item.day} cx={cx} cy={cy} r={3} fill={colors.surface} stroke={colors.test} strokeWidth={2} />;
}

function itemOf(payload: readonly { payload?: unknown }[] | undefined): DayItem | null {
  const item = payload?.[0]?.payload;
  return item !== null && typeof item === 'object' && 'day' in item ? (item as DayItem) : null;
}

function DayTip({ item, colors, binary, level }: { item: DayItem | null; colors: ChartColors; binary: boolean; level: string }) {
  if (!item) return null;
  const { uplift, sequential } = item.source;
  return (
    <div className="chart-tooltip" style={tooltipStyles(colors).contentStyle}>
      <p className="chart-tooltip-title">{dayText(item.day)}</p>
      <p>
        Test {formatCount(item.test)} · LCG {formatCount(item.lcg)}
      </p>
      {uplift === null ? (
        <p>Too few profiles for an uplift yet</p>
      ) : (
        <>
          <p>Uplift {differenceText(binary, uplift.estimate)}</p>
          <p>
            {level}: {intervalText(binary, uplift.low, uplift.high)}
          </p>
          {sequential && <p>Daily looks: {intervalText(binary, sequential[0], sequential[1])}</p>}
        </>
      )}
    </div>
  );
}

/** The chart in one sentence: the last day's uplift with both intervals. */
export function chartSummary(result: AnalysisResult): string {
  const last = [...result.daily].reverse().find((d) => d.uplift !== null);
  if (!last?.uplift) return 'No day has enough profiles in both groups for an uplift yet.';
  const { binary } = result;
  const sequential = last.sequential ? `; allowing for daily looks ${intervalText(binary, last.sequential[0], last.sequential[1])}` : '';
  return `On ${dayText(last.day)}, counting ${formatCount(last.testProfiles)} Test and ${formatCount(last.lcgProfiles)} LCG profiles, the uplift was ${differenceText(binary, last.uplift.estimate)} (${confidenceText(result.confidence)} interval ${intervalText(binary, last.uplift.low, last.uplift.high)}${sequential}).`;
}
