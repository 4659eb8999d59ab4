import type { CampaignPlace, ProfileInteractions } from '../../../shared/contract/index';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { formatCount } from '../../../shared/format';
import { formatDateTimeText, formatNumberValue } from '../../lib/format-value';
import { countOf } from '../../lib/text';
import { CARD_EVENTS_PAGE, type ProfileEventsState } from '../../store/profiles/slice';
import { useActions } from '../../store/react';

const PLACE_LABELS: Readonly<Record<CampaignPlace, string>> = {
  test: 'Test',
  lcg: 'LCG',
  gcg: 'GCG',
  audience: 'Audience, not split yet',
};

const PLACE_TITLES: Readonly<Record<CampaignPlace, string>> = {
  test: 'In the Test group: the campaign reaches it',
  lcg: "In the campaign's local control group: held out of it",
  gcg: "In the database's global control group: held out of this campaign",
  audience: "In the campaign's segment: its activation splits it",
};

// Section titles are not headings: the card's one heading names the profile (and tests and
// screen readers find the card by it).

/** A profile's events at or before the project clock, newest first, a page at a time. */
export function ProfileEvents({ events }: { events: ProfileEventsState }) {
  const { loadMoreProfileEvents } = useActions();
  const more = events.total - events.items.length;
  return (
    <section className="card-section" aria-labelledby="profile-events-title">
      <p id="profile-events-title" className="card-section-title">
        Events <span className="cell-muted">({formatCount(events.total)})</span>
      </p>
      {events.items.length === 0 ? (
        <p className="empty-note">No events at or before the project clock.</p>
      ) : (
        <ol className="card-events" aria-label="Events, newest first">
          {events.items.map((e, i) => (
            <li key={`${e.at}-${i}`} className="card-event">
              <span className="card-event-type">{e.type}</span>
              <span className="card-event-at">{formatDateTimeText(e.at)}</span>
              {(e.amount !== null || e.note !== null) && (
                <span className="card-event-extra">
                  {[e.amount === null ? '' : formatNumberValue(e.amount), e.note ?? ''].filter((x) => x !== '').join(' · ')}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {more > 0 && (
        <button type="button" className="button button-plain button-small" disabled={events.loadingMore} onClick={() => void loadMoreProfileEvents()}>
          {events.loadingMore ? 'Loading…' : `Show ${countOf(Math.min(more, CARD_EVENTS_PAGE), 'more event')} (${formatCount(more)} left)`}
        </button>
      )}
    </section>
  );
}

/** The guide's "Interactions": the segments the profile is in, and its campaigns with its group. */
export function ProfileInteractionsView({ interactions }: { interactions: ProfileInteractions }) {
  const { segments, campaigns } = interactions;
  return (
    <section className="card-section" aria-labelledby="profile-interactions-title">
      <p id="profile-interactions-title" className="card-section-title">
        Interactions
      </p>
      <p className="card-subtitle">Segments</p>
      {segments.length === 0 ? (
        <p className="empty-note">In no segment.</p>
      ) : (
        <ul className="card-list" aria-label="Segments">
          {segments.map((s) => (
            <li key={s.segmentId}>
              {s.name}
              {s.kind !== 'static' && <span className="cell-muted"> · {s.kind}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="card-subtitle">Campaigns</p>
      {campaigns.length === 0 ? (
        <p className="empty-note">In no campaign.</p>
      ) : (
        <ul className="card-list" aria-label="Campaigns">
          {campaigns.map((c) => (
            <li key={c.campaignId} className="card-campaign" data-testid={`card-campaign-${c.campaignId}`}>
              <span className="card-campaign-name">{c.name}</span>
              <span className={`group-chip group-chip-${c.group}`} title={PLACE_TITLES[c.group]}>
                {PLACE_LABELS[c.group]}
                {c.forced ? ' (added by hand)' : ''}
              </span>
              <span className="card-campaign-meta">
                {CAMPAIGN_STATUS_LABELS[c.status]}
                {c.since ? ` · since ${formatDateTimeText(c.since)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
