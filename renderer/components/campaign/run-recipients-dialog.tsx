import type { Activity, ActivityRun, Campaign } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { leftOutText } from '../../../shared/domain/left-out';
import { gainedText } from '../../store/activities/slice';
import { useActions } from '../../store/react';
import { Modal } from '../dialogs/modal';
import { ProfileBrowser } from '../profiles/profile-browser';

/** Who one run reached, with each recipient's group; exportable to CSV. */
export function RunRecipientsDialog({ activity, run, campaign, onClose }: { activity: Activity; run: ActivityRun; campaign: Campaign; onClose: () => void }) {
  const { openExportDialog } = useActions();
  const subject = `${activity.name} at ${formatClock(run.clock)}`;
  return (
    <Modal labelledBy="recipients-title" className="recipients-dialog" onCancel={onClose}>
      <div className="recipients-body">
        <div className="recipients-head">
          <h2 id="recipients-title" className="modal-title">
            Recipients of "{activity.name}"
          </h2>
          <p className="modal-message">
            Run at {formatClock(run.clock)} on the project clock: {formatCount(run.test)} in Test, {formatCount(run.control)} in the LCG
            {run.expanded > 0 ? `, ${formatCount(run.expanded)} added by audience expansion` : ''}.
          </p>
          <p className="modal-message" data-testid="run-left-out-summary">
            {run.leftOut === null
              ? 'Who this run left out was not counted (it was recorded by an earlier version).'
              : leftOutText(run.leftOut) === ''
                ? 'Nobody in the campaign was left out.'
                : `Left out: ${leftOutText(run.leftOut)}.`}
            {run.gainedCampaigns.length > 0 && ` The expansion grew the campaign's segment, so ${gainedText(run.gainedCampaigns)} too.`}
          </p>
        </div>
        <ProfileBrowser databaseId={campaign.databaseId} source={{ kind: 'run', runId: run.id, abTest: activity.type === 'ab_test' }} label="Recipients" emptyText="Nobody received this run." />
        <div className="modal-actions">
          <button
            type="button"
            className="button button-plain"
            disabled={run.test + run.control === 0}
            onClick={() => openExportDialog(campaign.databaseId, { scope: { kind: 'run', runId: run.id }, subject })}
          >
            Export recipients…
          </button>
          <button type="button" className="button button-primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Modal>
  );
}
