import { useEffect, useMemo, useState } from 'react';
import type { Campaign, CampaignDetail, Field } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectActivitiesOf } from '../../store/activities/selectors';
import { selectAttributes } from '../../store/attributes/selectors';
import { lcgSummary, selectCampaign, selectCampaignDetail } from '../../store/campaigns/selectors';
import { selectFieldsOf } from '../../store/databases/selectors';
import { CAMPAIGN_TAB_LABELS } from '../../store/navigation/selectors';
import type { CampaignTab } from '../../store/navigation/slice';
import { useActions, useApp } from '../../store/react';
import { TabBar } from '../common/tab-bar';
import { StatusBadge } from '../campaigns/status-badge';
import { ActivitiesPanel } from './activities-panel';
import { AudiencePanel } from './audience-panel';
import { CampaignActions } from './campaign-actions';
import { EventsPanel } from './events-panel';
import { HistoryPanel } from './history-panel';
import { LcgPanel } from './lcg-panel';
import { OverviewPanel } from './overview-panel';
import { TimelinePanel } from './timeline-panel';
import { SimulatorView } from '../simulator/simulator-view';
import { AnalyticsPanel } from '../analytics/analytics-panel';
import { SplitFingerprint } from '../warehouse/split-fingerprint';

const TABS: readonly CampaignTab[] = ['overview', 'lcg', 'activities', 'audience', 'timeline', 'events', 'history', 'simulate', 'analytics'];

/** One campaign: what it is, what can be done with it, and its split, activities, audience, events and history. */
export function CampaignPage({ campaignId, tab }: { campaignId: number; tab: CampaignTab }) {
  const detail = useApp(selectCampaignDetail(campaignId));
  const campaign = useApp(selectCampaign(campaignId));
  const activities = useApp(selectActivitiesOf(campaignId));
  const { navigate, loadDatabase } = useActions();
  const databaseId = campaign?.databaseId ?? 0;
  const fields = useApp(selectFieldsOf(databaseId));
  const detailLoaded = useApp((s) => s.databaseDetails[databaseId] !== undefined);
  useEffect(() => {
    if (campaign && !detailLoaded) void loadDatabase(campaign.databaseId);
  }, [campaign, detailLoaded, loadDatabase]);

  if (!campaign) return <p className="empty-note">Loading…</p>;
  const select = (next: CampaignTab) => navigate({ page: 'campaign', campaignId, tab: next });

  return (
    <div className="detail-page campaign-page">
      <CampaignHeader campaign={campaign} detail={detail} fields={fields} />
      <TabBar
        idPrefix="campaign"
        label="Campaign views"
        tabs={TABS}
        current={tab}
        labels={CAMPAIGN_TAB_LABELS}
        onSelect={select}
        counts={{ activities: activities.length, history: detail ? detail.versions.length : undefined }}
      />
      <div id={`campaign-panel-${tab}`} role="tabpanel" aria-labelledby={`campaign-tab-${tab}`} className={`tab-panel campaign-panel-${tab}`}>
        {!detail ? (
          <p className="empty-note">Loading…</p>
        ) : (
          <CampaignTabPanel tab={tab} detail={detail} fields={fields} />
        )}
      </div>
    </div>
  );
}

function CampaignTabPanel({ tab, detail, fields }: { tab: CampaignTab; detail: CampaignDetail; fields: readonly Field[] }) {
  switch (tab) {
    case 'overview':
      return <OverviewPanel detail={detail} fields={fields} />;
    case 'lcg':
      return <LcgPanel detail={detail} fields={fields} />;
    case 'activities':
      return <ActivitiesPanel campaign={detail.campaign} />;
    case 'audience':
      return <AudiencePanel detail={detail} />;
    case 'timeline':
      return <TimelinePanel detail={detail} />;
    case 'events':
      return <EventsPanel campaign={detail.campaign} />;
    case 'history':
      return <HistoryPanel detail={detail} fields={fields} />;
    case 'simulate':
      return <SimulatorView pickAudience={false} />;
    case 'analytics':
      return <AnalyticsPanel detail={detail} />;
  }
}

/** What another process on the same file is doing to this campaign, for the page's header. */
function workElsewhereText(work: NonNullable<Campaign['workElsewhere']>): string {
  const at = (instant: string) => `${instant.replace('T', ' ').slice(0, 16)} UTC`;
  const what = work.status === 'audience_building' ? 'the audience' : 'the removal of the profiles';
  return work.finishedAt === null
    ? `Another process (pid ${work.pid}) has been working on ${what} of this campaign since ${at(work.since)}. This window shows the file as it was saved; open it again once that process has saved.`
    : `Another process (pid ${work.pid}) finished ${what} of this campaign at ${at(work.finishedAt)} but has not saved it yet. Open the file again once it has.`;
}

function CampaignHeader({ campaign, detail, fields }: { campaign: Campaign; detail: CampaignDetail | null; fields: readonly Field[] }) {
  const { navigate } = useActions();
  const attributes = useApp(selectAttributes);
  const [refusal, setRefusal] = useState<string | null>(null);
  const fieldName = useMemo(() => (id: number) => fields.find((f) => f.id === id)?.name ?? `field ${id}`, [fields]);
  const shownAttributes = attributes.filter((a) => (campaign.attributes[String(a.id)] ?? '') !== '');
  useEffect(() => setRefusal(null), [campaign.status, campaign.activityCount, campaign.deleted]);

  return (
    <header className="detail-header campaign-header">
      <div className="detail-heading">
        <p className="breadcrumb">
          <button type="button" className="link-button" onClick={() => navigate({ page: 'campaigns', bin: campaign.deleted })}>
            {campaign.deleted ? 'Recycle bin' : 'Campaigns'}
          </button>
          <span aria-hidden="true"> ›</span>
        </p>
        <div className="title-line">
          <h2 className="page-title detail-title" title={campaign.name}>
            {campaign.name}
          </h2>
          <StatusBadge status={campaign.status} deleted={campaign.deleted} />
        </div>
        <p className="detail-facts" data-testid="campaign-facts">
          <button type="button" className="link-button plain-link" onClick={() => navigate({ page: 'database', databaseId: campaign.databaseId, tab: 'profiles' })}>
            {campaign.databaseName}
          </button>
          {' · segment '}
          <button type="button" className="link-button plain-link" onClick={() => navigate({ page: 'segment', segmentId: campaign.segmentId })}>
            {campaign.segmentName}
          </button>
          {' · '}
          {lcgSummary(campaign.lcg, fieldName)}
          {' · '}
          {countOf(campaign.activityCount, 'activity', 'activities')}
          {campaign.status === 'waiting' && campaign.activateAt && (
            <>
              {' · starts '}
              <strong>{formatClock(campaign.activateAt)}</strong>
            </>
          )}
        </p>
        {!campaign.deleted && <SplitFingerprint detail={detail} />}
        {campaign.workElsewhere && (
          <p className="callout callout-warning" role="status" data-testid="campaign-work-elsewhere">
            {workElsewhereText(campaign.workElsewhere)}
          </p>
        )}
        {shownAttributes.length > 0 && (
          <ul className="attribute-chips" aria-label="Attributes">
            {shownAttributes.map((a) => (
              <li key={a.id} className="chip">
                <span className="chip-label">{a.name}</span> {campaign.attributes[String(a.id)]}
              </li>
            ))}
          </ul>
        )}
      </div>
      <CampaignActions campaign={campaign} fields={fields} onRefused={setRefusal} />
      {refusal && (
        <p className="callout callout-warning action-refusal" role="status">
          <span data-testid="action-refusal">{refusal}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setRefusal(null)}>
            ×
          </button>
        </p>
      )}
    </header>
  );
}
