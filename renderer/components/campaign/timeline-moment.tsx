import { formatClock, formatCount } from '../../../shared/format';
import { useActions } from '../../store/react';
import { RUN_KIND_LABELS } from '../../../shared/domain/activity-timing';
import { activityTypeLabel, reachText, type TimelineMoment } from '../../store/timeline/selectors';
import { MOMENT_EVENTS_PAGE, type TimelineMomentState } from '../../store/timeline/slice';
import { EventsPager, EventsTable } from './events-panel';

interface TimelineMomentPanelProps {
  readonly campaignId: number;
  /** The picked moment as the timeline has it; null when none is picked (or it is gone). */
  readonly moment: TimelineMoment | null;
  readonly state: TimelineMomentState | null;
}

/** What happened at the picked moment: the sizes then, the activities that ran, and the campaign's events of that moment. */
export function TimelineMomentPanel({ campaignId, moment, state }: TimelineMomentPanelProps) {
  const { pickTimelineMoment } = useActions();
  if (!state) {
    return (
      <section className="panel timeline-moment" aria-labelledby="moment-title">
        <h3 id="moment-title" className="panel-title">
          Moment
        </h3>
        <p className="empty-note">No moment chosen. Click one on the chart, or use its date in the table of moments.</p>
      </section>
    );
  }
  const total = state.total;
  return (
    <section className="panel timeline-moment" aria-labelledby="moment-title" data-testid="timeline-moment">
      {/* The moment picked is said once, not its whole list of events. */}
      <div aria-live="polite">
        <h3 id="moment-title" className="panel-title clock-heading">
          {formatClock(state.clock)}
        </h3>
        {moment && (
          <p className="timeline-moment-facts">
            Test {formatCount(moment.test)} · LCG {formatCount(moment.control)} · {formatCount(moment.joined)} joined · {formatCount(moment.left)} left
          </p>
        )}
      </div>
      {moment && moment.runs.length > 0 && (
        <ul className="timeline-moment-runs" aria-label="Activity runs at this moment">
          {moment.runs.map((r) => (
            <li key={r.runId}>
              <strong>{r.name}</strong> ({activityTypeLabel(r.type)}) · {RUN_KIND_LABELS[r.kind]} · {reachText(r)}
            </li>
          ))}
        </ul>
      )}
      {state.error !== null && (
        <p className="field-error" role="alert">
          {state.error}
        </p>
      )}
      {total === 0 && <p className="empty-note">No campaign events at this moment.</p>}
      {state.events.length > 0 && (
        <div className="table-scroll">
          <EventsTable events={state.events} label="Events at this moment" busy={state.loading} showClock={false} />
        </div>
      )}
      {total !== null && (
        <EventsPager
          label="Pages of this moment's events"
          offset={state.offset}
          limit={MOMENT_EVENTS_PAGE}
          total={total}
          onPage={(offset) => void pickTimelineMoment(campaignId, state.clock, offset)}
        />
      )}
      {total === null && <p className="empty-note">Loading…</p>}
    </section>
  );
}
