import { useState } from 'react';
import type { Campaign } from '../../../shared/contract/index';
import { CAMPAIGN_STATUSES } from '../../../shared/domain/campaign-status';
import { formatClock, formatCount } from '../../../shared/format';
import { selectCampaigns, selectCampaignsLoaded, selectRecycleBin, shareText } from '../../store/campaigns/selectors';
import { selectDatabases } from '../../store/databases/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegments } from '../../store/segments/selectors';
import { SortableTable, type Column } from '../common/sortable-table';
import { AttributesPanel } from './attributes-panel';
import { CreateCampaignDialog } from './create-campaign-dialog';
import { StatusBadge } from './status-badge';
import { CheckSplitsDialog } from '../warehouse/check-splits-dialog';

/** Every campaign with its status and group sizes; the recycle bin; campaign attributes of the project. */
export function CampaignsPage({ bin }: { bin: boolean }) {
  const campaigns = useApp(selectCampaigns);
  const loaded = useApp(selectCampaignsLoaded);
  const recycleBin = useApp(selectRecycleBin);
  const segments = useApp(selectSegments);
  const databases = useApp(selectDatabases);
  const { navigate, checkAllSplits } = useActions();
  const [creating, setCreating] = useState(false);
  const [attributes, setAttributes] = useState(false);
  const canCreate = segments.length > 0;

  const name = (c: Campaign) => (
    <button type="button" className="link-button" title={c.name} onClick={() => navigate({ page: 'campaign', campaignId: c.id, tab: 'overview' })}>
      <span className="name-clamp">{c.name}</span>
    </button>
  );
  const columns: Column<Campaign>[] = [
    { key: 'name', label: 'Name', sortValue: (c) => c.name, render: name },
    { key: 'status', label: 'Status', sortValue: (c) => CAMPAIGN_STATUSES.indexOf(c.status), render: (c) => <StatusBadge status={c.status} /> },
    { key: 'database', label: 'Database', sortValue: (c) => c.databaseName, render: (c) => c.databaseName },
    { key: 'segment', label: 'Segment', sortValue: (c) => c.segmentName, render: (c) => c.segmentName },
    { key: 'test', label: 'Test', numeric: true, sortValue: (c) => c.groups.test, render: (c) => (c.groups.total === 0 ? <span className="cell-muted">—</span> : formatCount(c.groups.test)) },
    {
      key: 'control',
      label: 'LCG',
      numeric: true,
      sortValue: (c) => c.groups.control,
      render: (c) =>
        c.groups.total === 0 ? (
          <span className="cell-muted">—</span>
        ) : (
          <span title={shareText(c.groups.control, c.groups.total)}>{formatCount(c.groups.control)}</span>
        ),
    },
    { key: 'activities', label: 'Activities', numeric: true, sortValue: (c) => c.activityCount, render: (c) => formatCount(c.activityCount) },
    {
      key: 'when',
      label: 'Starts / started',
      sortValue: (c) => c.activatedClock ?? c.activateAt ?? '',
      render: (c) => (
        <span className="cell-muted">{c.activatedClock ? formatClock(c.activatedClock) : c.activateAt ? `at ${formatClock(c.activateAt)}` : '—'}</span>
      ),
    },
  ];
  const binColumns: Column<Campaign>[] = [
    { key: 'name', label: 'Name', sortValue: (c) => c.name, render: name },
    { key: 'database', label: 'Database', sortValue: (c) => c.databaseName, render: (c) => c.databaseName },
    { key: 'segment', label: 'Segment', sortValue: (c) => c.segmentName, render: (c) => c.segmentName },
    { key: 'status', label: 'Status', render: (c) => <StatusBadge status={c.status} /> },
    { key: 'completed', label: 'Completed', sortValue: (c) => c.completedClock ?? '', render: (c) => <span className="cell-muted">{c.completedClock ? formatClock(c.completedClock) : '—'}</span> },
    { key: 'actions', label: 'Actions', hiddenLabel: true, className: 'cell-actions', render: (c) => <RestoreButton campaign={c} /> },
  ];

  return (
    <div className="page-stack">
      <div className="page-heading">
        <h2 className="page-title">Campaigns</h2>
        <div className="inline-actions">
          <button type="button" className="button button-plain" aria-expanded={attributes} onClick={() => setAttributes(!attributes)}>
            Campaign attributes…
          </button>
          <button
            type="button"
            className="button button-plain"
            disabled={campaigns.length === 0}
            title="Recompute every campaign’s split from its recorded settings and history, and check that the stored groups are exactly what the rule gives."
            onClick={() => void checkAllSplits()}
          >
            Check all splits…
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!canCreate}
            title={canCreate ? undefined : 'Create a segment first: a campaign takes its audience from one.'}
            onClick={() => setCreating(true)}
          >
            New campaign…
          </button>
        </div>
      </div>
      {attributes && <AttributesPanel onClose={() => setAttributes(false)} />}
      <div className="view-switch" role="group" aria-label="Show">
        <button type="button" className="segmented" aria-pressed={!bin} onClick={() => navigate({ page: 'campaigns', bin: false })}>
          Campaigns <span className="tab-count">{campaigns.length}</span>
        </button>
        <button type="button" className="segmented" aria-pressed={bin} onClick={() => navigate({ page: 'campaigns', bin: true })}>
          Recycle bin {recycleBin.length > 0 && <span className="tab-count">{recycleBin.length}</span>}
        </button>
      </div>
      <section className="panel" aria-label={bin ? 'Recycle bin' : 'Campaign list'}>
        {!bin && !loaded && <p className="empty-note">Loading…</p>}
        {!bin && loaded && campaigns.length === 0 && (
          <p className="empty-note">
            {databases.length === 0
              ? 'Create a profile database and a segment first.'
              : canCreate
                ? 'No campaigns yet. Start one with “New campaign…” above.'
                : 'Create a segment first (Segments, New segment…): a campaign takes its audience from one.'}
          </p>
        )}
        {!bin && campaigns.length > 0 && (
          <SortableTable label="Campaigns" rows={campaigns} columns={columns} rowKey={(c) => c.id} initialSort={{ key: 'name', direction: 'asc' }} className="campaigns-table" />
        )}
        {bin && recycleBin.length === 0 && <p className="empty-note">The recycle bin is empty. Deleted campaigns wait here; restoring one brings it back as Completed.</p>}
        {bin && recycleBin.length > 0 && <SortableTable label="Deleted campaigns" rows={recycleBin} columns={binColumns} rowKey={(c) => c.id} />}
      </section>
      {creating && <CreateCampaignDialog onClose={() => setCreating(false)} />}
      <CheckSplitsDialog />
    </div>
  );
}

function RestoreButton({ campaign }: { campaign: Campaign }) {
  const { restoreCampaign } = useActions();
  return (
    <button type="button" className="button button-plain button-small" onClick={() => void restoreCampaign(campaign.id)}>
      Restore
    </button>
  );
}
