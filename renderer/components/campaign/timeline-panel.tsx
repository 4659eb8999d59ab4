import { useEffect, useMemo } from 'react';
import type { CampaignDetail } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { useActions, useApp } from '../../store/react';
import { selectTimeline, selectTimelineMoment, timelineMoments, type TimelineMoment } from '../../store/timeline/selectors';
import { SortableTable, type Column } from '../common/sortable-table';
import { TimelineChart } from './timeline-chart';
import { TimelineMomentPanel } from './timeline-moment';

/**
 * A campaign's audience over time: the chart, the table of its moments (the chart's
 * numbers for screen readers, and the keyboard's way to pick a moment) and what happened at
 * the picked moment. It loads again whenever the campaign or the project clock changes.
 */
export function TimelinePanel({ detail }: { detail: CampaignDetail }) {
  const campaign = detail.campaign;
  const timeline = useApp(selectTimeline(campaign.id));
  const picked = useApp(selectTimelineMoment(campaign.id));
  const now = useApp((s) => (s.project.open ? s.project.clock : null));
  const { loadTimeline, pickTimelineMoment } = useActions();
  useEffect(() => {
    void loadTimeline(campaign.id);
  }, [campaign.id, detail, now, loadTimeline]);
  const moments = useMemo(() => (timeline ? timelineMoments(timeline.points, timeline.runs) : []), [timeline]);

  if (!timeline || (timeline.loading && moments.length === 0)) return <p className="empty-note">Loading…</p>;
  if (timeline.error !== null && moments.length === 0) {
    return (
      <p className="field-error" role="alert">
        {timeline.error}
      </p>
    );
  }
  if (moments.length === 0) {
    return (
      <p className="empty-note" data-testid="timeline-empty">
        {campaign.status === 'waiting'
          ? `Nothing on the timeline yet: "${campaign.name}" starts ${campaign.activateAt ? formatClock(campaign.activateAt) : 'later'}. `
          : `Nothing on the timeline yet: "${campaign.name}" has never been activated. `}
        Once it runs, its Test and LCG sizes, the profiles that joined and left, and its activities&apos; runs show here at each moment of the project
        clock{campaign.status === 'inactive' ? ': activate it (Activate now… or Schedule… above), then move the clock on with Advance clock… in the status bar.' : '.'}
      </p>
    );
  }

  const pick = (clock: string) => void pickTimelineMoment(campaign.id, clock);
  const first = moments[0]!;
  const last = moments[moments.length - 1]!;
  const runCount = moments.reduce((n, m) => n + m.runs.length, 0);
  return (
    <div className="timeline-panel">
      <section className="panel" aria-labelledby="timeline-title">
        <div className="panel-heading">
          <h3 id="timeline-title" className="panel-title">
            Audience over time
          </h3>
          <p className="panel-toolbar timeline-summary" data-testid="timeline-summary">
            {countOf(moments.length, 'moment')} from {formatClock(first.clock)} to {formatClock(last.clock)} · {countOf(runCount, 'activity run')}
          </p>
        </div>
        {timeline.error !== null && (
          <p className="field-error" role="alert">
            {timeline.error}
          </p>
        )}
        <TimelineChart moments={moments} runs={timeline.runs} now={now ?? last.clock} picked={picked?.clock ?? null} onPick={pick} />
        <p className="field-hint">Click a moment on the chart, or choose it in the table of moments, to see what happened then.</p>
      </section>
      <div className="timeline-lower">
        <section className="panel timeline-moments" aria-labelledby="moments-title">
          <h3 id="moments-title" className="panel-title">
            Moments
          </h3>
          <SortableTable
            label="Timeline moments"
            testId="timeline-moments"
            rows={moments}
            columns={momentColumns(picked?.clock ?? null, pick)}
            rowKey={(m) => m.clock}
            initialSort={{ key: 'clock', direction: 'desc' }}
            pageSize={12}
            rowClassName={(m) => (m.clock === picked?.clock ? 'row-picked' : undefined)}
          />
        </section>
        <TimelineMomentPanel campaignId={campaign.id} moment={moments.find((m) => m.clock === picked?.clock) ?? null} state={picked} />
      </div>
    </div>
  );
}

function momentColumns(picked: string | null, pick: (clock: string) => void): Column<TimelineMoment>[] {
  return [
    {
      key: 'clock',
      label: 'Project clock',
      className: 'cell-nowrap',
      sortValue: (m) => m.clock,
      render: (m) => (
        <button type="button" className="link-button" aria-pressed={m.clock === picked} onClick={() => pick(m.clock)}>
          {formatClock(m.clock)}
        </button>
      ),
    },
    { key: 'test', label: 'Test', numeric: true, sortValue: (m) => m.test, render: (m) => formatCount(m.test) },
    { key: 'control', label: 'LCG', numeric: true, sortValue: (m) => m.control, render: (m) => formatCount(m.control) },
    { key: 'joined', label: 'Joined', numeric: true, sortValue: (m) => m.joined, render: (m) => formatCount(m.joined) },
    { key: 'left', label: 'Left', numeric: true, sortValue: (m) => m.left, render: (m) => formatCount(m.left) },
    {
      key: 'runs',
      label: 'Runs',
      sortValue: (m) => m.runs.length,
      render: (m) => (m.runs.length === 0 ? <span className="cell-muted">—</span> : m.runs.map((r) => r.name).join(', ')),
    },
  ];
}
