import { useEffect } from 'react';
import { CAMPAIGN_EVENT_KINDS, type Campaign, type CampaignEvent } from '../../../shared/contract/index';
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
      {current && current.events.length > 0 && <EventsTable events={current.events} label="Campaign events" busy={current.loading} showClock />}
      {total !== null && (
        <EventsPager label="Pages of events" offset={offset} limit={limit} total={total} onPage={(next) => void loadCampaignEvents(campaign.id, { offset: next })} />
      )}
      {!current && <p className="empty-note">Loading…</p>}
    </section>
  );
}

/** A page of campaign events (the Events tab, a moment of the timeline). */
export function EventsTable({ events, label, busy, showClock }: { events: readonly CampaignEvent[]; label: string; busy: boolean; showClock: boolean }) {
  // Most events concern the campaign as a whole; the Profile column shows only when a row on this page names one.
  const withProfile = events.some((e) => e.profileId !== null);
  return (
    <table className="data-table events-table" aria-label={label} aria-busy={busy}>
      <thead>
        <tr>
          {showClock && <th scope="col">Project clock</th>}
          <th scope="col">Event</th>
          {withProfile && <th scope="col">Profile</th>}
          <th scope="col">What happened</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            {showClock && <td className="cell-nowrap">{formatClock(e.clock)}</td>}
            <td className="cell-nowrap">
              <span className={`event-kind event-${e.kind}`}>{EVENT_KIND_LABELS[e.kind]}</span>
            </td>
            {withProfile && <td className="cell-id">{e.profileId ?? ''}</td>}
            <td>{e.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Newer and Older pages of events, when there are more than a page. */
export function EventsPager({ label, offset, limit, total, onPage }: { label: string; offset: number; limit: number; total: number; onPage: (offset: number) => void }) {
  if (total <= limit) return null;
  return (
    <div className="pager" role="group" aria-label={label}>
      <button type="button" className="button button-plain button-small" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Newer
      </button>
      <span className="pager-text">
        {formatCount(offset + 1)}–{formatCount(Math.min(total, offset + limit))} of {formatCount(total)}
      </span>
      <button type="button" className="button button-plain button-small" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        Older
      </button>
    </div>
  );
}
