import { Area, Bar, CartesianGrid, ComposedChart, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type YAxisTickContentProps } from 'recharts';
import type { RunKind, TimelineRun } from '../../../shared/contract/clock';
import { formatClock, formatCount } from '../../../shared/format';
import { RUN_KIND_LABELS } from '../../../shared/domain/activity-timing';
import { axisTickText, clockMs, runText, timeDomain, timeTicks, type TimelineMoment } from '../../store/timeline/selectors';
import { AxisLabel } from '../charts/axis-label';
import { seriesTextColor, tooltipStyles, useChartColors, type ChartColors } from '../charts/theme-colors';

/** A moment on the time axis; `moment` false for the end of the line (the clock now), which is no moment of its own. */
interface ChartItem {
  readonly x: number;
  readonly clock: string;
  readonly moment: boolean;
  readonly Test: number;
  readonly LCG: number;
  readonly Joined: number;
  readonly Left: number;
  readonly runs: number;
}

interface RunItem {
  readonly x: number;
  readonly row: string;
  readonly run: TimelineRun;
}

/** Each kind of run has its own shape, so the marks read without colour. */
const RUN_SHAPES: Readonly<Record<RunKind, 'circle' | 'star' | 'diamond' | 'triangle' | 'square' | 'wye'>> = {
  manual: 'circle',
  launch: 'star',
  schedule: 'diamond',
  trigger: 'triangle',
  scenario: 'square',
  audience_change: 'wye',
};

const AXIS_WIDTH = 104;
const MARGIN = { top: 6, right: 20, bottom: 0, left: 4 };

interface TimelineChartProps {
  readonly moments: readonly TimelineMoment[];
  readonly runs: readonly TimelineRun[];
  /** The project clock now: the sizes of the last moment hold until it. */
  readonly now: string;
  readonly picked: string | null;
  readonly onPick: (clock: string) => void;
}

/**
 * The audience over time: Test and LCG as stacked steps (the sizes hold from one moment to
 * the next), the profiles that joined and left at each moment as bars above and below zero,
 * and the activities' runs as marks on the same time axis, a row per activity. A click on a
 * moment or a run picks that moment. Hidden from screen readers: the table of moments
 * beside it holds the same numbers and is the keyboard's way in.
 */
export function TimelineChart({ moments, runs, now, picked, onPick }: TimelineChartProps) {
  const colors = useChartColors();
  const items: ChartItem[] = moments.map((m) => ({
    x: clockMs(m.clock),
    clock: m.clock,
    moment: true,
    Test: m.test,
    LCG: m.control,
    Joined: m.joined,
    Left: -m.left,
    runs: m.runs.length,
  }));
  const last = moments[moments.length - 1];
  if (last && now > last.clock) items.push({ x: clockMs(now), clock: now, moment: false, Test: last.test, LCG: last.control, Joined: 0, Left: 0, runs: 0 });
  const domain = timeDomain(items.map((i) => i.clock));
  const span = domain[1] - domain[0];
  const crossesYear = new Date(domain[0]).getUTCFullYear() !== new Date(domain[1]).getUTCFullYear();
  const ticks = timeTicks(domain);
  // Joined above zero, left below, on one scale: the larger of the two sets both ends.
  const moves = Math.max(1, ...moments.map((m) => Math.max(m.joined, m.left)));
  const tick = { fill: colors.muted, fontSize: 11 };
  const xAxis = (shown: boolean) => (
    <XAxis
      type="number"
      dataKey="x"
      domain={domain}
      scale="time"
      ticks={ticks}
      allowDataOverflow
      tick={shown ? tick : false}
      height={shown ? 24 : 2}
      stroke={colors.grid}
      tickFormatter={(ms: number) => axisTickText(ms, span, crossesYear)}
    />
  );
  const pickIndex = (index: unknown) => {
    const item = items[Number(index)];
    if (item?.moment) onPick(item.clock);
  };
  const pickedLine = picked === null ? null : <ReferenceLine x={clockMs(picked)} stroke={colors.accent} strokeWidth={2} strokeDasharray="4 3" />;

  return (
    <div className="chart-box timeline-chart" aria-hidden="true" data-testid="timeline-chart">
      <p className="chart-title">Audience: Test and LCG</p>
      <ResponsiveContainer width="100%" height={170}>
        <ComposedChart data={items} syncId="campaign-timeline" margin={MARGIN} accessibilityLayer={false} onClick={(state) => pickIndex(state.activeTooltipIndex)}>
          <CartesianGrid stroke={colors.grid} />
          {xAxis(false)}
          <YAxis domain={[0, 'auto']} tick={tick} stroke={colors.grid} tickFormatter={(v: number) => formatCount(v)} width={AXIS_WIDTH} />
          <Tooltip {...tooltipStyles(colors)} content={(props) => <MomentTip colors={colors} item={itemOf(props.payload)} />} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
          <Area type="stepAfter" dataKey="LCG" stackId="groups" stroke={colors.control} fill={colors.control} fillOpacity={0.35} isAnimationActive={false} dot={false} activeDot={false} />
          <Area
            type="stepAfter"
            dataKey="Test"
            stackId="groups"
            stroke={colors.test}
            fill={colors.test}
            fillOpacity={0.3}
            isAnimationActive={false}
            activeDot={false}
            dot={(props: { cx?: number; cy?: number; index?: number; payload?: ChartItem }) => (
              <MomentDot key={props.index} cx={props.cx} cy={props.cy} item={props.payload} picked={picked} colors={colors} onPick={onPick} />
            )}
          />
          {pickedLine}
        </ComposedChart>
      </ResponsiveContainer>
      <p className="chart-title">Joined and left</p>
      <ResponsiveContainer width="100%" height={runs.length > 0 ? 104 : 128}>
        <ComposedChart data={items} syncId="campaign-timeline" margin={MARGIN} stackOffset="sign" accessibilityLayer={false} onClick={(state) => pickIndex(state.activeTooltipIndex)}>
          <CartesianGrid stroke={colors.grid} />
          {xAxis(runs.length === 0)}
          <YAxis
            domain={[-moves, moves]}
            ticks={[moves, 0, -moves]}
            interval={0}
            tick={tick}
            stroke={colors.grid}
            tickFormatter={(v: number) => (v === 0 ? '0' : `${formatCount(Math.abs(v))} ${v > 0 ? 'joined' : 'left'}`)}
            width={AXIS_WIDTH}
          />
          <Tooltip {...tooltipStyles(colors)} content={(props) => <MomentTip colors={colors} item={itemOf(props.payload)} />} cursor={{ stroke: colors.grid }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: colors.text }}>{value}</span>} />
          <ReferenceLine y={0} stroke={colors.muted} />
          <Bar dataKey="Joined" stackId="moves" fill={colors.success} barSize={MOVE_BAR_WIDTH} shape={MoveBar} isAnimationActive={false} />
          <Bar dataKey="Left" stackId="moves" fill={colors.danger} barSize={MOVE_BAR_WIDTH} shape={MoveBar} isAnimationActive={false} />
          {pickedLine}
        </ComposedChart>
      </ResponsiveContainer>
      {runs.length > 0 && <RunMarks runs={runs} colors={colors} xAxis={xAxis(true)} pickedLine={pickedLine} onPick={onPick} />}
    </div>
  );
}

/** The width of a joined or left bar, in pixels. */
const MOVE_BAR_WIDTH = 6;

/**
 * A joined or left bar of its own width, centred on its moment. On a time axis recharts
 * narrows every bar to the closest two moments (an hour apart in a year: under a pixel), so
 * the bars of a year would be hairlines.
 */
function MoveBar(props: { x?: number; y?: number; width?: number; height?: number; fill?: string }) {
  const { x = 0, y = 0, width = 0, height = 0, fill } = props;
  if (height === 0) return <g />;
  return <rect x={x + width / 2 - MOVE_BAR_WIDTH / 2} y={Math.min(y, y + height)} width={MOVE_BAR_WIDTH} height={Math.abs(height)} fill={fill} />;
}

function itemOf(payload: readonly { payload?: unknown }[] | undefined): ChartItem | null {
  const item = payload?.[0]?.payload;
  return item !== null && typeof item === 'object' && 'clock' in item ? (item as ChartItem) : null;
}

/** A moment's dot on the top of the audience: a click picks it. The end of the line (the clock now) has none. */
function MomentDot({ cx, cy, item, picked, colors, onPick }: { cx: number | undefined; cy: number | undefined; item: ChartItem | undefined; picked: string | null; colors: ChartColors; onPick: (clock: string) => void }) {
  if (cx === undefined || cy === undefined || !item?.moment) return <g />;
  const isPicked = item.clock === picked;
  return (
    <circle
      className="timeline-dot"
      data-clock={item.clock}
      cx={cx}
      cy={cy}
      r={isPicked ? 6 : 4}
      fill={isPicked ? colors.accent : colors.surface}
      stroke={isPicked ? colors.accent : colors.test}
      strokeWidth={2}
      onClick={(event) => {
        event.stopPropagation();
        onPick(item.clock);
      }}
    />
  );
}

function MomentTip({ item, colors }: { item: ChartItem | null; colors: ChartColors }) {
  if (!item) return null;
  const style = tooltipStyles(colors).contentStyle;
  return (
    <div className="chart-tooltip" style={style}>
      <p className="chart-tooltip-title">{item.moment ? formatClock(item.clock) : `${formatClock(item.clock)} (now)`}</p>
      <p>
        Test {formatCount(item.Test)} · LCG {formatCount(item.LCG)}
      </p>
      {item.moment && (
        <p>
          {formatCount(item.Joined)} joined · {formatCount(-item.Left)} left
          {item.runs > 0 ? ` · ${formatCount(item.runs)} run${item.runs === 1 ? '' : 's'}` : ''}
        </p>
      )}
    </div>
  );
}

/** The runs as marks on the time axis, a row per activity, a shape per kind of run. */
function RunMarks({ runs, colors, xAxis, pickedLine, onPick }: { runs: readonly TimelineRun[]; colors: ChartColors; xAxis: React.ReactNode; pickedLine: React.ReactNode; onPick: (clock: string) => void }) {
  // A row per activity, by id (two activities may share a name), labelled with its name.
  const names = new Map(runs.map((r) => [String(r.activityId), r.name]));
  const rows = [...names.keys()];
  const kinds = [...new Set(runs.map((r) => r.kind))];
  const byKind = (kind: RunKind): RunItem[] => runs.filter((r) => r.kind === kind).map((run) => ({ x: clockMs(run.clock), row: String(run.activityId), run }));
  return (
    <>
      <p className="chart-title">Activity runs</p>
      <ResponsiveContainer width="100%" height={rows.length * 24 + 58}>
        <ScatterChart margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          {xAxis}
          <YAxis
            type="category"
            dataKey="row"
            allowDuplicatedCategory={false}
            ticks={rows}
            // Every row labelled, each on one line (recharts would wrap a long name and then drop labels that collide).
            interval={0}
            tick={(props: YAxisTickContentProps) => {
              const id = String(props.payload.value);
              return <AxisLabel x={Number(props.x)} y={Number(props.y)} text={names.get(id) ?? id} width={AXIS_WIDTH - 16} fill={colors.text} />;
            }}
            stroke={colors.grid}
            width={AXIS_WIDTH}
          />
          <Tooltip {...tooltipStyles(colors)} cursor={false} content={(props) => <RunTip colors={colors} payload={props.payload} />} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: colors.text }}>{value}</span>} />
          {kinds.map((kind) => (
            <Scatter
              key={kind}
              name={RUN_KIND_LABELS[kind]}
              data={byKind(kind)}
              shape={RUN_SHAPES[kind]}
              legendType={RUN_SHAPES[kind]}
              fill={colors.accent}
              isAnimationActive={false}
              className={`timeline-run timeline-run-${kind}`}
              onClick={(entry: { payload?: RunItem }) => entry.payload && onPick(entry.payload.run.clock)}
            />
          ))}
          {pickedLine}
        </ScatterChart>
      </ResponsiveContainer>
    </>
  );
}

function RunTip({ payload, colors }: { payload: readonly { payload?: unknown }[] | undefined; colors: ChartColors }) {
  const item = payload?.[0]?.payload;
  if (item === null || typeof item !== 'object' || !('run' in item)) return null;
  const { run } = item as RunItem;
  return (
    <div className="chart-tooltip" style={tooltipStyles(colors).contentStyle}>
      <p className="chart-tooltip-title">{formatClock(run.clock)}</p>
      <p>{runText(run)}</p>
    </div>
  );
}
