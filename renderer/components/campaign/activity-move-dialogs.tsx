import { useEffect, useState } from 'react';
import { ACTIVITY_TYPE_LABELS, type Activity, type Campaign } from '../../../shared/contract/index';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { moveCheck, moveChoices, selectExternalActivities } from '../../store/activities/selectors';
import { selectOtherCampaigns } from '../../store/campaigns/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { Modal } from '../dialogs/modal';

const EXTERNAL = 'external';

/**
 * Moves an activity to another campaign of the same database, or out to the external list.
 * It offers exactly the destinations the engine's rule allows (shared/domain/activity-move),
 * and says why each other campaign is not offered.
 */
export function MoveDialog({ activity, campaign, onClose }: { activity: Activity; campaign: Campaign; onClose: () => void }) {
  const { moveActivity } = useActions();
  const others = useAppShallow(selectOtherCampaigns(campaign.databaseId, campaign.id));
  const { allowed, refused } = moveChoices(activity, campaign, others);
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
        <ul className="modal-message rule-list">
          <li>An activity moves only to a campaign of its own database that is not completed (an active one takes it too).</li>
          <li>An active activity, one that has run before, and a scenario with profiles in it cannot be moved.</li>
          <li>A campaign that is active or waiting keeps at least one activity.</li>
        </ul>
        <label className="field">
          <span className="field-label">Move to</span>
          <select value={target} data-autofocus="" onChange={(e) => setTarget(e.target.value)}>
            <option value={EXTERNAL}>Out of the campaign, to the external list</option>
            {allowed.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name} ({CAMPAIGN_STATUS_LABELS[c.status]})
              </option>
            ))}
          </select>
        </label>
        {refused.length > 0 && (
          <details className="not-offered" data-testid="move-not-offered">
            <summary>
              {refused.length === 1 ? 'One campaign is not offered' : `${refused.length} campaigns are not offered`}
            </summary>
            <ul>
              {refused.map(({ campaign: c, reason }) => (
                <li key={c.id}>{reason}</li>
              ))}
            </ul>
          </details>
        )}
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
  const attachRefusal = (a: Activity) => {
    const check = moveCheck(a, null, campaign);
    return check.allowed ? null : check.reason;
  };
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
                {attachRefusal(a) === null ? (
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
                ) : (
                  <span className="cell-muted">{attachRefusal(a)}</span>
                )}
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
