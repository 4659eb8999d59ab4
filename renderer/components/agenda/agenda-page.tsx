import { useEffect, useState } from 'react';
import type { AgendaItem } from '../../../shared/contract/clock';
import { formatClock } from '../../../shared/format';
import { agendaGroups, dayLabel, selectAgenda } from '../../store/agenda/selectors';
import { selectCampaigns } from '../../store/campaigns/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegments } from '../../store/segments/selectors';
import { AdvanceClockDialog } from '../clock/advance-clock-dialog';

/** What is scheduled next on the project clock, across segments, campaigns and activities; advancing the clock from here. */
export function AgendaPage() {
  const agenda = useApp(selectAgenda);
  const clock = useApp((s) => (s.project.open ? s.project.clock : null));
  const busy = useApp(selectIsBusy);
  const [advancing, setAdvancing] = useState(false);
  const groups = agenda ? agendaGroups(agenda.items) : null;
  const empty = groups !== null && groups.days.length === 0 && groups.onEvents.length === 0;

  return (
    <div className="page-stack agenda-page">
      <div className="page-heading">
        <h2 className="page-title">Agenda</h2>
        <button type="button" className="button button-primary" disabled={busy || clock === null} onClick={() => setAdvancing(true)}>
          Advance clock…
        </button>
      </div>
      <p className="section-note">
        What falls due next on the project clock{clock ? ` (now ${formatClock(clock)})` : ''}: segment recalculations, scheduled activations and
        launched activities. Advancing the clock runs them in this order, each at its own time.
      </p>
      {groups === null && <p className="empty-note">Loading…</p>}
      {empty && (
        <section className="panel" aria-labelledby="agenda-empty-title" data-testid="agenda-empty">
          <h3 id="agenda-empty-title" className="panel-title">
            Nothing is on the agenda
          </h3>
          <p className="empty-note">Things get a time on the clock when you:</p>
          <ul className="plain-list">
            <li>make an updatable segment: it is recalculated on its schedule (Segments, New segment…);</li>
            <li>schedule a campaign's activation (Schedule… on its page);</li>
            <li>launch an activity of a campaign (Launch… on its Activities tab): a broadcast at a time, a regular mailing on a schedule, a triggered mailing or a scenario on events.</li>
          </ul>
        </section>
      )}
      {groups && groups.days.length > 0 && (
        <section className="panel" aria-labelledby="agenda-next-title">
          <h3 id="agenda-next-title" className="panel-title">
            Next on the clock
          </h3>
          <div className="table-scroll">
            <table className="data-table agenda-table" aria-label="Next on the clock" data-testid="agenda-timed">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <AgendaHeadings />
                </tr>
              </thead>
              {groups.days.map((day) => (
                <tbody key={day.date}>
                  <tr className="group-row">
                    <th scope="rowgroup" colSpan={6}>
                      {dayLabel(day.date)}
                    </th>
                  </tr>
                  {day.items.map((item, i) => (
                    <tr key={`${item.kind}-${item.at ?? ''}-${item.activityId ?? item.segmentId ?? item.campaignId ?? i}-${i}`} data-testid="agenda-row">
                      <td className="cell-nowrap">{item.at?.slice(11, 16)}</td>
                      <AgendaCells item={item} />
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </section>
      )}
      {groups && groups.onEvents.length > 0 && (
        <section className="panel" aria-labelledby="agenda-events-title">
          <h3 id="agenda-events-title" className="panel-title">
            On events and audience changes
          </h3>
          <p className="section-note">
            These have no time of their own. As the clock moves, triggered mailings and scenarios run on each event of their type, and placements after each
            change of their campaign's audience.
          </p>
          <div className="table-scroll">
            <table className="data-table agenda-table" aria-label="On events and audience changes" data-testid="agenda-on-events">
              <thead>
                <tr>
                  <AgendaHeadings />
                </tr>
              </thead>
              <tbody>
                {groups.onEvents.map((item, i) => (
                  <tr key={`${item.kind}-${item.activityId ?? i}`} data-testid="agenda-row">
                    <AgendaCells item={item} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {advancing && clock !== null && <AdvanceClockDialog clock={clock} onClose={() => setAdvancing(false)} />}
    </div>
  );
}

function AgendaHeadings() {
  return (
    <>
      <th scope="col">What</th>
      <th scope="col">Campaign</th>
      <th scope="col">Activity</th>
      <th scope="col">Segment</th>
      <th scope="col">Detail</th>
    </>
  );
}

/** What, then links to the campaign, the activity (its campaign's Activities tab) and the segment, then the detail. */
function AgendaCells({ item }: { item: AgendaItem }) {
  const { navigate, loadActivities } = useActions();
  const campaigns = useApp(selectCampaigns);
  const segments = useApp(selectSegments);
  const activities = useApp((s) => (item.campaignId === null ? undefined : s.activitiesByCampaign[item.campaignId]));
  const campaign = campaigns.find((c) => c.id === item.campaignId);
  const segment = segments.find((s) => s.id === item.segmentId);
  const activity = activities?.find((a) => a.id === item.activityId);
  useEffect(() => {
    if (item.activityId !== null && item.campaignId !== null && activities === undefined) void loadActivities(item.campaignId);
  }, [item.activityId, item.campaignId, activities, loadActivities]);
  const campaignId = item.campaignId;
  return (
    <>
      <td className="cell-wrap cell-strong">{item.title}</td>
      <td className="cell-wrap">
        {campaignId !== null && (
          <button type="button" className="link-button" onClick={() => navigate({ page: 'campaign', campaignId, tab: 'overview' })}>
            {campaign?.name ?? `Campaign #${campaignId}`}
          </button>
        )}
      </td>
      <td className="cell-wrap">
        {campaignId !== null && item.activityId !== null && (
          <button type="button" className="link-button" onClick={() => navigate({ page: 'campaign', campaignId, tab: 'activities' })}>
            {activity?.name ?? `Activity #${item.activityId}`}
          </button>
        )}
      </td>
      <td className="cell-wrap">
        {item.segmentId !== null && (
          <button type="button" className="link-button" onClick={() => navigate({ page: 'segment', segmentId: item.segmentId ?? 0 })}>
            {segment?.name ?? `Segment #${item.segmentId}`}
          </button>
        )}
      </td>
      <td className="cell-wrap cell-muted">{item.detail}</td>
    </>
  );
}
