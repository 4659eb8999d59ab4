import { useState, type FormEvent } from 'react';
import { MAX_CAMPAIGN_NAME, type Campaign } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { attributeValueProblems, cleanAttributeValues, selectAttributes } from '../../store/attributes/selectors';
import { campaignNameProblem } from '../../store/campaigns/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { selectSegmentsOf } from '../../store/segments/selectors';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { AttributeInputs } from '../campaigns/attribute-inputs';
import { SubmitButton } from '../common/submit-button';

/** An Inactive copy with the same settings; it may take another segment of the same database. */
export function CloneDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { cloneCampaign } = useActions();
  const segments = useAppShallow(selectSegmentsOf(campaign.databaseId));
  const [name, setName] = useState(`${campaign.name} (copy)`);
  const [segmentId, setSegmentId] = useState(campaign.segmentId);
  const [working, setWorking] = useState(false);
  const problem = campaignNameProblem(name);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || working) return;
    setWorking(true);
    const clone = await cloneCampaign(campaign.id, { name, ...(segmentId === campaign.segmentId ? {} : { segmentId }) });
    setWorking(false);
    if (clone) onClose();
  };

  return (
    <Modal labelledBy="clone-title" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="clone-title" className="modal-title">
          Clone "{campaign.name}"
        </h2>
        <p className="modal-message">
          The copy is Inactive, with the same attributes, LCG settings and seed
          {campaign.activityCount === 0
            ? '.'
            : campaign.activityCount === 1
              ? ', and a copy of its activity (a new one that has never run).'
              : `, and copies of its ${formatCount(campaign.activityCount)} activities (new ones that have never run).`}
        </p>
        <TextField label="Name of the copy" error={problem} value={name} limit={MAX_CAMPAIGN_NAME} data-autofocus="" onChange={(e) => setName(e.target.value)} />
        <label className="field">
          <span className="field-label">Segment (of {campaign.databaseName})</span>
          <select value={String(segmentId)} onChange={(e) => setSegmentId(Number(e.target.value))}>
            {segments.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name} ({formatCount(s.size)} profiles){s.id === campaign.segmentId ? ' — the same' : ''}
              </option>
            ))}
          </select>
        </label>
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton busy={working} busyLabel="Cloning…" disabled={problem !== null}>
            Clone
          </SubmitButton>
        </div>
      </form>
    </Modal>
  );
}

/** The name and the attribute values; database, segment and seed stay as they are. */
export function EditCampaignDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { updateCampaign } = useActions();
  const attributes = useApp(selectAttributes);
  const [name, setName] = useState(campaign.name);
  const [values, setValues] = useState<Record<string, string>>({ ...campaign.attributes });
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const problem = campaignNameProblem(name);
  const valueProblems = attributeValueProblems(attributes, values);
  const blocked = problem !== null || Object.keys(valueProblems).length > 0;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (blocked || working) return;
    setWorking(true);
    const change: { name?: string; attributes?: Record<string, string> } = {};
    if (name.trim() !== campaign.name) change.name = name.trim();
    const cleaned = cleanAttributeValues(values);
    if (JSON.stringify(cleaned) !== JSON.stringify(cleanAttributeValues(campaign.attributes))) change.attributes = cleaned;
    const saved = change.name === undefined && change.attributes === undefined ? true : await updateCampaign(campaign.id, change);
    setWorking(false);
    if (saved) onClose();
  };

  return (
    <Modal labelledBy="edit-title" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="edit-title" className="modal-title">
          Edit "{campaign.name}"
        </h2>
        <TextField label="Campaign name" error={problem} value={name} limit={MAX_CAMPAIGN_NAME} data-autofocus="" onChange={(e) => setName(e.target.value)} />
        <AttributeInputs attributes={attributes} values={values} problems={valueProblems} showProblems={tried} onChange={setValues} />
        {attributes.length === 0 && <p className="field-hint">The project defines no campaign attributes (Campaigns, Campaign attributes…).</p>}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton busy={working} busyLabel="Saving…" disabled={tried && blocked}>
            Save
          </SubmitButton>
        </div>
      </form>
    </Modal>
  );
}
