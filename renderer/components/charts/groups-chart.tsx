import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GroupSizes } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { shareText } from '../../store/campaigns/selectors';
import { tooltipStyles, useChartColors } from './theme-colors';

interface GroupsChartProps {
  readonly groups: GroupSizes;
  /** Members of the database's GCG, held out of every campaign (null: no GCG, or exempt). */
  readonly gcg: number | null;
}

/** The campaign's groups as bars, with the exact numbers and shares beside them. */
export function GroupsChart({ groups, gcg }: GroupsChartProps) {
  const colors = useChartColors();
  const data = [
    { name: 'Test', value: groups.test, color: colors.test },
    { name: 'LCG', value: groups.control, color: colors.control },
    ...(gcg !== null && gcg > 0 ? [{ name: 'GCG (held out)', value: gcg, color: colors.gcg }] : []),
  ];
  return (
    <div className="groups-chart">
      <dl className="group-figures" data-testid="group-sizes">
        <div className="group-figure group-test">
          <dt>Test</dt>
          <dd data-testid="group-test">{formatCount(groups.test)}</dd>
          <dd className="group-share">{shareText(groups.test, groups.total)}</dd>
        </div>
        <div className="group-figure group-control">
          <dt>LCG</dt>
          <dd data-testid="group-control">{formatCount(groups.control)}</dd>
          <dd className="group-share">{shareText(groups.control, groups.total)}</dd>
        </div>
        <div className="group-figure group-total">
          <dt>Audience</dt>
          <dd data-testid="group-total">{formatCount(groups.total)}</dd>
          <dd className="group-share">Test + LCG</dd>
        </div>
        {gcg !== null && (
          <div className="group-figure group-gcg">
            <dt>GCG of the database</dt>
            <dd>{formatCount(gcg)}</dd>
            <dd className="group-share">held out of campaigns</dd>
          </div>
        )}
      </dl>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height={34 * data.length + 30}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 72, bottom: 4, left: 8 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke={colors.grid} />
            <XAxis
              type="number"
              domain={[0, 'dataMax']}
              tick={{ fill: colors.muted, fontSize: 11 }}
              stroke={colors.grid}
              tickFormatter={(v: number) => formatCount(v)}
            />
            <YAxis type="category" dataKey="name" width={data.length > 2 ? 96 : 40} tick={{ fill: colors.text, fontSize: 12 }} stroke={colors.grid} />
            <Tooltip
              cursor={{ fill: colors.grid, opacity: 0.3 }}
              {...tooltipStyles(colors)}
              formatter={(value) => formatCount(Number(value))}
            />
            <Bar dataKey="value" name="Profiles" isAnimationActive={false} barSize={20}>
              {data.map((d) => (
                <Cell key={d.name} fill={d.color} />
              ))}
              <LabelList dataKey="value" position="right" fill={colors.text} fontSize={12} formatter={(v) => formatCount(Number(v))} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
