import { useEffect } from 'react';
import { CAMPAIGN_EVENT_KINDS, type Campaign } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { EVENT_KIND_LABELS, selectCampaignEvents } from '../../store/campaigns/selectors';
import type { CampaignEventKind } from '../../store/campaigns/slice';
import { useActions, useApp } from '../../store/react';

const ALL = 'all';

/** The campaign's events, newest first, a page at a time, optionally of one kind. */
export function EventsPanel({ campaign }: { campaign: Campaign }) {
  const events = useApp(selectCampaignEvents);
  const { loadCampaignEvents } = useActions();
  const current = events?.campaignId === campaign.id ? events : null;
  useEffect(() => {
    void loadCampaignEvents(campaign.id, { offset: 0 });
  }, [campaign.id, loadCampaignEvents]);

  const kind = current?.kinds[0] ?? ALL;
  const total = current?.total ?? null;
  const offset = current?.offset ?? 0;
  const limit = current?.limit ?? 50;
  // Most events concern the campaign as a whole; the Profile column shows only when a row on this page names one.
  const withProfile = current?.events.some((e) => e.profileId !== null) ?? false;

  return (
    <section className="panel events-panel" aria-labelledby="events-title">
      <div className="panel-heading">
        <h3 id="events-title" className="panel-title">
          Events
        </h3>
        <label className="field field-inline">
          <span className="field-label">Kind</span>
          <select
            value={kind}
            onChange={(e) =>
              void loadCampaignEvents(campaign.id, { offset: 0, kinds: e.target.value === ALL ? [] : [e.target.value as CampaignEventKind] })
            }
          >
            <option value={ALL}>All kinds</option>
            {CAMPAIGN_EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {EVENT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {current?.error && (
        <p className="field-error" role="alert">
          {current.error}
        </p>
      )}
      {total === 0 && <p className="empty-note">No events{kind === ALL ? '' : ' of this kind'}.</p>}
      {current && current.events.length > 0 && (
        <table className="data-table events-table" aria-label="Campaign events" aria-busy={current.loading}>
          <thead>
            <tr>
              <th scope="col">Project clock</th>
              <th scope="col">Event</th>
              {withProfile && <th scope="col">Profile</th>}
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {current.events.map((e) => (
              <tr key={e.id}>
                <td className="cell-nowrap">{formatClock(e.clock)}</td>
                <td className="cell-nowrap">
                  <span className={`event-kind event-${e.kind}`}>{EVENT_KIND_LABELS[e.kind]}</span>
                </td>
                {withProfile && <td className="cell-id">{e.profileId ?? ''}</td>}
                <td>{e.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total !== null && total > limit && (
        <div className="pager" role="group" aria-label="Pages of events">
          <button type="button" className="button button-plain button-small" disabled={offset === 0} onClick={() => void loadCampaignEvents(campaign.id, { offset: Math.max(0, offset - limit) })}>
            Newer
          </button>
          <span className="pager-text">
            {formatCount(offset + 1)}–{formatCount(Math.min(total, offset + limit))} of {formatCount(total)}
          </span>
          <button type="button" className="button button-plain button-small" disabled={offset + limit >= total} onClick={() => void loadCampaignEvents(campaign.id, { offset: offset + limit })}>
            Older
          </button>
        </div>
      )}
      {!current && <p className="empty-note">Loading…</p>}
    </section>
  );
}
