import { useMemo, useState } from 'react';
import type { CampaignDetail } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { audienceExportable } from '../../store/campaigns/selectors';
import { useActions } from '../../store/react';
import { ProfileBrowser } from '../profiles/profile-browser';

type GroupFilter = 'all' | 'test' | 'control';

const FILTER_LABELS: Readonly<Record<GroupFilter, string>> = { all: 'Everybody', test: 'Test', control: 'LCG' };

/** The campaign's audience with each profile's group and stratum; exported by group. */
export function AudiencePanel({ detail }: { detail: CampaignDetail }) {
  const { campaign } = detail;
  const { openExportDialog } = useActions();
  const [filter, setFilter] = useState<GroupFilter>('all');
  const labels = useMemo(() => new Map(detail.strata.map((s) => [s.key, s.label])), [detail.strata]);
  const built = audienceExportable(campaign);
  const counts: Record<GroupFilter, number> = { all: campaign.groups.total, test: campaign.groups.test, control: campaign.groups.control };

  if (!built) {
    return (
      <p className="empty-note" data-testid="audience-empty">
        Export is available after audience building is finished. The audience is built when the campaign is activated; then its members, their groups and
        strata show here and can be exported by group (Test, LCG, both, or the GCG members of its segment).
      </p>
    );
  }

  const exportGroup = () =>
    openExportDialog(campaign.databaseId, {
      scope: { kind: 'campaign', campaignId: campaign.id, group: filter === 'all' ? 'all' : filter },
      subject: campaign.name,
    });

  return (
    <div className="audience-panel">
      <ProfileBrowser
        databaseId={campaign.databaseId}
        source={{ kind: 'campaign', campaignId: campaign.id, group: filter === 'all' ? null : filter }}
        label="Campaign audience"
        stratumLabels={labels}
        emptyText="Nobody in this group."
        toolbar={
          <div className="audience-tools">
            <div className="view-switch" role="group" aria-label="Group">
              {(['all', 'test', 'control'] as const).map((g) => (
                <button key={g} type="button" className="segmented" aria-pressed={filter === g} onClick={() => setFilter(g)}>
                  {FILTER_LABELS[g]} <span className="tab-count">{formatCount(counts[g])}</span>
                </button>
              ))}
            </div>
            <button type="button" className="button button-plain" onClick={exportGroup}>
              Export…
            </button>
          </div>
        }
      />
    </div>
  );
}
