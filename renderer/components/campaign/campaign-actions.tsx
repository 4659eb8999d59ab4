import { useState } from 'react';
import type { Campaign, Field } from '../../../shared/contract/index';
import { campaignChecks } from '../../store/campaigns/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegment } from '../../store/segments/selectors';
import { CheckedButton } from '../common/checked-button';
import { ActivateDialog } from './activate-dialog';
import { AddProfilesDialog } from './add-profiles-dialog';
import { CloneDialog, EditCampaignDialog } from './edit-dialogs';
import { ExportSqlDialog } from '../warehouse/export-sql-dialog';
import { VerifyAssignmentDialog } from '../warehouse/verify-assignment-dialog';

type Open = 'activate' | 'schedule' | 'clone' | 'edit' | 'addProfiles' | 'sql' | null;

/** The campaign's actions, each checked by the status machine first; a refused one says why. */
export function CampaignActions({ campaign, fields, onRefused }: { campaign: Campaign; fields: readonly Field[]; onRefused: (reason: string) => void }) {
  const segment = useApp(selectSegment(campaign.segmentId));
  const busy = useApp(selectIsBusy);
  const { deactivateCampaign, completeCampaign, deleteCampaign, restoreCampaign, openAssignmentCheck } = useActions();
  const verifying = useApp((s) => s.assignmentCheck?.campaignId === campaign.id);
  const [open, setOpen] = useState<Open>(null);
  const checks = campaignChecks(campaign, segment);
  const common = { onRefused, busy, small: true } as const;

  return (
    <>
      <div className="detail-actions campaign-actions" role="toolbar" aria-label="Campaign">
        {campaign.deleted ? (
          <CheckedButton label="Restore" tone="primary" check={checks.restore} onClick={() => void restoreCampaign(campaign.id)} {...common} />
        ) : (
          <>
            {campaign.status === 'active' ? (
              <CheckedButton label="Deactivate" tone="plain" check={checks.deactivate} onClick={() => void deactivateCampaign(campaign.id)} {...common} />
            ) : (
              <>
                <CheckedButton label="Activate now…" tone="primary" check={checks.activate} onClick={() => setOpen('activate')} {...common} />
                <CheckedButton label="Schedule…" check={checks.schedule} onClick={() => setOpen('schedule')} {...common} />
                {campaign.status === 'waiting' && (
                  <CheckedButton label="Deactivate" check={checks.deactivate} onClick={() => void deactivateCampaign(campaign.id)} {...common} />
                )}
              </>
            )}
            <CheckedButton label="Add profiles…" check={checks.addProfiles} onClick={() => setOpen('addProfiles')} {...common} />
            <CheckedButton label="Edit…" check={checks.edit} onClick={() => setOpen('edit')} {...common} />
            <CheckedButton label="Clone…" check={checks.clone} onClick={() => setOpen('clone')} {...common} />
            <CheckedButton label="Complete…" tone="danger" check={checks.complete} onClick={() => void completeCampaign(campaign.id)} {...common} />
            <CheckedButton label="Delete…" tone="danger" check={checks.delete} onClick={() => void deleteCampaign(campaign.id)} {...common} />
            {/* The split on the warehouse: the query, and the check of what the warehouse gave. */}
            <button type="button" className="button button-plain button-small" onClick={() => setOpen('sql')}>
              Export as SQL…
            </button>
            <button type="button" className="button button-plain button-small" disabled={busy} onClick={() => openAssignmentCheck(campaign.id)}>
              Verify…
            </button>
          </>
        )}
      </div>
      {(open === 'activate' || open === 'schedule') && <ActivateDialog campaign={campaign} mode={open === 'activate' ? 'now' : 'later'} onClose={() => setOpen(null)} />}
      {open === 'clone' && <CloneDialog campaign={campaign} onClose={() => setOpen(null)} />}
      {open === 'edit' && <EditCampaignDialog campaign={campaign} onClose={() => setOpen(null)} />}
      {open === 'addProfiles' && <AddProfilesDialog campaign={campaign} onClose={() => setOpen(null)} />}
      {open === 'sql' && <ExportSqlDialog campaign={campaign} fields={fields} onClose={() => setOpen(null)} />}
      {verifying && <VerifyAssignmentDialog campaignName={campaign.name} />}
    </>
  );
}
