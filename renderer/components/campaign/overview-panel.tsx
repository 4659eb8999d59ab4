import { useEffect } from 'react';
import type { CampaignDetail, Field } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { audienceBuilt, campaignChecks, lcgSummary } from '../../store/campaigns/selectors';
import { selectGcg } from '../../store/gcg/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegment } from '../../store/segments/selectors';
import { GroupsChart } from '../charts/groups-chart';
import { StrataChart } from '../charts/strata-chart';
import { StratificationWarningBox } from './stratification-warning';
import { StrataTable } from './strata-table';

/** Up to this many strata, the chart sits beside the table; more stack it underneath. */
const STRATA_BESIDE_CHART = 8;

/** The split at a glance: group sizes, facts, the stratification warning and the strata. */
export function OverviewPanel({ detail, fields }: { detail: CampaignDetail; fields: readonly Field[] }) {
  const { campaign } = detail;
  const gcg = useApp(selectGcg(campaign.databaseId));
  const segment = useApp(selectSegment(campaign.segmentId));
  const { loadGcg, changeLcg, setGcgExempt, navigate } = useActions();
  useEffect(() => {
    void loadGcg(campaign.databaseId);
  }, [campaign.databaseId, loadGcg]);
  const built = audienceBuilt(campaign);
  const audience = detail.strata.reduce((n, s) => n + s.size, 0) || campaign.groups.total;
  const canChange = campaignChecks(campaign, segment).changeLcg.allowed;
  const fieldName = (id: number) => fields.find((f) => f.id === id)?.name ?? `field ${id}`;
  const changingExempt = useApp((s) => s.gcgExemptChanging.includes(campaign.id));
  const cloned = useApp((s) => (campaign.clonedFrom === null ? null : (s.campaigns?.find((c) => c.id === campaign.clonedFrom) ?? null)));

  return (
    <div className="overview-grid">
      <section className="panel" aria-labelledby="groups-title">
        <h3 id="groups-title" className="panel-title">
          Groups
        </h3>
        {built ? (
          <GroupsChart groups={campaign.groups} gcg={campaign.gcgExempt || !gcg || gcg.percent === 0 ? null : gcg.size} />
        ) : (
          <p className="empty-note" data-testid="groups-empty">
            {campaign.status === 'completed' ? 'Nobody is in the campaign any more.' : 'The audience is built when the campaign is activated.'}
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="facts-title">
        <h3 id="facts-title" className="panel-title">
          Campaign
        </h3>
        <dl className="facts">
          <dt>LCG</dt>
          <dd>{lcgSummary(campaign.lcg, fieldName)}</dd>
          <dt>Seed</dt>
          <dd className="cell-id" data-testid="campaign-seed">
            {campaign.seed}
          </dd>
          <dt>Created</dt>
          <dd>{formatClock(campaign.createdClock)}</dd>
          {campaign.activateAt && campaign.status === 'waiting' && (
            <>
              <dt>Starts</dt>
              <dd className="cell-strong">{formatClock(campaign.activateAt)}</dd>
            </>
          )}
          <dt>Activated</dt>
          <dd>{campaign.activatedClock ? formatClock(campaign.activatedClock) : <span className="cell-muted">Not yet</span>}</dd>
          {campaign.completedClock && (
            <>
              <dt>Completed</dt>
              <dd>{formatClock(campaign.completedClock)}</dd>
            </>
          )}
          {campaign.clonedFrom !== null && (
            <>
              <dt>Cloned from</dt>
              <dd>
                {cloned ? (
                  <button type="button" className="link-button" onClick={() => navigate({ page: 'campaign', campaignId: cloned.id, tab: 'overview' })}>
                    {cloned.name}
                  </button>
                ) : (
                  `campaign #${campaign.clonedFrom}`
                )}
              </dd>
            </>
          )}
          <dt>Global control group</dt>
          <dd className="fact-with-action" data-testid="gcg-exemption">
            <span>
              {campaign.gcgExempt ? 'Exempt: GCG members stay in the audience' : 'Held out of the campaign'}
              {gcg?.percent === 0 && <span className="cell-muted"> · the database has no GCG yet</span>}
            </span>
            {!campaign.deleted && campaign.status !== 'completed' && (
              <button
                type="button"
                className="button button-plain button-small"
                disabled={changingExempt}
                aria-busy={changingExempt}
                onClick={() => void setGcgExempt(campaign.id, campaign.databaseId, !campaign.gcgExempt)}
              >
                {changingExempt ? (campaign.gcgExempt ? 'Holding GCG members out…' : 'Making exempt…') : `${campaign.gcgExempt ? 'Hold GCG members out' : 'Make exempt'}${built ? '…' : ''}`}
              </button>
            )}
          </dd>
        </dl>
      </section>
      {detail.warning && (
        <div className="overview-wide">
          <StratificationWarningBox
            warning={detail.warning}
            lcg={campaign.lcg}
            audience={audience}
            {...(canChange ? { onApply: (lcg: typeof campaign.lcg) => void changeLcg(campaign.id, lcg) } : {})}
          />
        </div>
      )}
      <section className="panel overview-wide" aria-labelledby="strata-title">
        <h3 id="strata-title" className="panel-title">
          Strata
        </h3>
        {campaign.status === 'completed' ? (
          // Everyone left: strata counted on the segment today would describe nobody in the campaign.
          <p className="empty-note">The campaign is completed and nobody is in it; the strata of each build are in Split history.</p>
        ) : detail.strata.length === 0 ? (
          <p className="empty-note">{campaign.lcg.strata.length === 0 ? 'The LCG is not stratified: one stratum, the whole audience.' : 'The strata show once the audience is known.'}</p>
        ) : (
          <div className={detail.strata.length > STRATA_BESIDE_CHART ? 'strata-view strata-view-stacked' : 'strata-view'}>
            <StrataTable strata={detail.strata} membersStay={detail.versions.length > 1} />
            {detail.strata.length > 1 && <StrataChart strata={detail.strata} />}
          </div>
        )}
      </section>
    </div>
  );
}
