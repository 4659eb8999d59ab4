import { useEffect, useState } from 'react';
import { ACTIVITY_TYPE_LABELS, type Activity, type Campaign } from '../../../shared/contract/index';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { selectExternalActivities } from '../../store/activities/selectors';
import { selectMoveTargets } from '../../store/campaigns/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { Modal } from '../dialogs/modal';

const EXTERNAL = 'external';

/** Moves an activity to another campaign of the same database, or out to the external list. */
export function MoveDialog({ activity, campaign, onClose }: { activity: Activity; campaign: Campaign; onClose: () => void }) {
  const { moveActivity } = useActions();
  const targets = useAppShallow(selectMoveTargets(campaign.databaseId, campaign.id));
  const [target, setTarget] = useState(EXTERNAL);
  const [working, setWorking] = useState(false);
  const submit = async () => {
    setWorking(true);
    const moved = await moveActivity(activity, target === EXTERNAL ? null : Number(target));
    setWorking(false);
    if (moved) onClose();
  };
  return (
    <Modal labelledBy="move-title" onCancel={onClose}>
      <div className="dialog-form">
        <h2 id="move-title" className="modal-title">
          Move "{activity.name}"
        </h2>
        <p className="modal-message">
          The guide's rules apply: an activity goes only to a campaign of the same database that is neither active nor completed, and an
          activity that has run cannot move to another campaign. The engine says why when it refuses.
        </p>
        <label className="field">
          <span className="field-label">Move to</span>
          <select value={target} data-autofocus="" onChange={(e) => setTarget(e.target.value)}>
            <option value={EXTERNAL}>Out of the campaign, to the external list</option>
            {targets.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name} ({CAMPAIGN_STATUS_LABELS[c.status]})
              </option>
            ))}
          </select>
        </label>
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={working} onClick={() => void submit()}>
            Move
          </button>
        </div>
      </div>
    </Modal>
  );
}

/** Attaches an activity of the database's external list (in no campaign) to this campaign. */
export function AttachDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { loadExternalActivities, moveActivity } = useActions();
  const external = useApp(selectExternalActivities(campaign.databaseId));
  const loaded = useApp((s) => s.externalActivities[campaign.databaseId] !== undefined);
  useEffect(() => {
    void loadExternalActivities(campaign.databaseId);
  }, [campaign.databaseId, loadExternalActivities]);
  return (
    <Modal labelledBy="attach-title" onCancel={onClose}>
      <div className="dialog-form">
        <h2 id="attach-title" className="modal-title">
          Attach an activity to "{campaign.name}"
        </h2>
        <p className="modal-message">Activities of {campaign.databaseName} that belong to no campaign.</p>
        {!loaded && <p className="empty-note">Loading…</p>}
        {loaded && external.length === 0 && <p className="empty-note">The external list is empty: move an activity out of a campaign to put it there.</p>}
        {external.length > 0 && (
          <ul className="pick-list">
            {external.map((a) => (
              <li key={a.id} className="pick-item">
                <span className="cell-strong">{a.name}</span>
                <span className="cell-muted">
                  {ACTIVITY_TYPE_LABELS[a.type]}
                  {a.launched ? ' · launched before' : ''}
                </span>
                <button
                  type="button"
                  className="button button-plain button-small"
                  onClick={() =>
                    void moveActivity(a, campaign.id).then((ok) => {
                      if (ok) onClose();
                    })
                  }
                >
                  Attach
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" data-autofocus="" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Modal>
  );
}
