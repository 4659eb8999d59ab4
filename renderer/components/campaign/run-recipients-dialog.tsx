import type { Activity, ActivityRun, Campaign } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
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
