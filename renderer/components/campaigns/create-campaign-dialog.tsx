import { MAX_CAMPAIGN_NAME, MAX_SEED } from '../../../shared/contract/index';
import { useEffect, useState, type FormEvent } from 'react';
import { formatCount } from '../../../shared/format';
import { attributeValueProblems, cleanAttributeValues, selectAttributes } from '../../store/attributes/selectors';
import { EMPTY_DRAFT, hasProblems, lcgFromDraft, type LcgDraft } from '../../store/campaigns/lcg-draft';
import { campaignNameProblem } from '../../store/campaigns/selectors';
import { selectDatabases, selectFieldsOf } from '../../store/databases/selectors';
import { seedProblem } from '../../store/gcg/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { SEGMENT_KIND_LABELS, selectSegmentsOf } from '../../store/segments/selectors';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { AttributeInputs } from './attribute-inputs';
import { LcgEditor } from './lcg-editor';
import { SubmitButton } from '../common/submit-button';

/** A new Inactive campaign: name, database and segment (fixed for good), attributes, LCG and seed. */
export function CreateCampaignDialog({ onClose }: { onClose: () => void }) {
  const { createCampaign, loadDatabase } = useActions();
  const databases = useApp(selectDatabases);
  const attributes = useApp(selectAttributes);
  const [name, setName] = useState('');
  const [databaseId, setDatabaseId] = useState<number | null>(databases.length === 1 ? (databases[0]?.id ?? null) : null);
  const segments = useAppShallow(selectSegmentsOf(databaseId));
  const [segmentId, setSegmentId] = useState<number | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<LcgDraft>(EMPTY_DRAFT);
  const [seed, setSeed] = useState('');
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const fields = useApp(selectFieldsOf(databaseId ?? 0));
  const detailLoaded = useApp((s) => databaseId !== null && s.databaseDetails[databaseId] !== undefined);

  // Its fields, for the strata: read once (a database's details count its profiles, a pass
  // over them that the Create button would wait for); a change of fields reads them again.
  useEffect(() => {
    if (databaseId !== null && !detailLoaded) void loadDatabase(databaseId);
  }, [databaseId, detailLoaded, loadDatabase]);
  // The only segment of a database is the obvious choice.
  useEffect(() => {
    if (segmentId === null && segments.length === 1) setSegmentId(segments[0]?.id ?? null);
  }, [segments, segmentId]);

  const segment = segments.find((s) => s.id === segmentId) ?? null;
  const nameProblem = campaignNameProblem(name);
  const valueProblems = attributeValueProblems(attributes, values);
  const { lcg, problems } = lcgFromDraft(draft, fields);
  const seedError = seedProblem(seed);
  const blocked = nameProblem !== null || databaseId === null || segment === null || Object.keys(valueProblems).length > 0 || hasProblems(problems) || seedError !== null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (blocked || !lcg || databaseId === null || segment === null || saving) return;
    setSaving(true);
    const created = await createCampaign({ name, databaseId, segmentId: segment.id, attributes: cleanAttributeValues(values), lcg, seed });
    setSaving(false);
    if (created) onClose();
  };

  return (
    <Modal labelledBy="campaign-dialog-title" className="campaign-dialog" onCancel={onClose}>
      <form className="campaign-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="campaign-dialog-title" className="modal-title">
          New campaign
        </h2>
        <div className="dialog-scroll">
          <TextField
            label="Campaign name"
            error={name === '' && !tried ? null : nameProblem}
            value={name}
            limit={MAX_CAMPAIGN_NAME}
            data-autofocus=""
            placeholder="Spring sale"
            onChange={(e) => setName(e.target.value)}
          />
          <div className="form-row">
            <label className="field">
              <span className="field-label">Database</span>
              <select
                value={databaseId === null ? '' : String(databaseId)}
                onChange={(e) => {
                  setDatabaseId(e.target.value === '' ? null : Number(e.target.value));
                  setSegmentId(null);
                  setDraft(EMPTY_DRAFT);
                }}
              >
                {databaseId === null && <option value="">Choose a database…</option>}
                {databases.map((db) => (
                  <option key={db.id} value={String(db.id)}>
                    {db.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Segment</span>
              <select
                value={segmentId === null ? '' : String(segmentId)}
                disabled={databaseId === null}
                aria-invalid={tried && segment === null}
                onChange={(e) => setSegmentId(e.target.value === '' ? null : Number(e.target.value))}
              >
                <option value="">{segments.length === 0 && databaseId !== null ? 'The database has no segments' : 'Choose a segment…'}</option>
                {segments.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name} ({s.kind === 'static' ? '' : `${SEGMENT_KIND_LABELS[s.kind].toLowerCase()}, `}
                    {formatCount(s.size)} profiles{s.kind === 'dynamic' ? ' when last evaluated' : ''})
                  </option>
                ))}
              </select>
              {tried && segment === null && <span className="field-error">Choose the segment the audience comes from.</span>}
            </label>
          </div>
          <p className="field-hint">The database and the segment cannot change later (a clone may take another segment).</p>
          {segment && segment.kind !== 'static' && (
            <p className="field-hint" data-testid="campaign-segment-kind">
              {segment.kind === 'updatable'
                ? 'An updatable segment: audience tagging is triggered with each recalculation (leavers leave with “Campaign exit”, newcomers are split). Audience expansion and manual addition are unavailable.'
                : 'A dynamic segment: its condition is evaluated when the audience is built. Audience expansion is unavailable.'}
            </p>
          )}
          <AttributeInputs attributes={attributes} values={values} problems={valueProblems} showProblems={tried} onChange={setValues} />
          <h3 className="section-title">Local control group</h3>
          <LcgEditor
            draft={draft}
            onChange={setDraft}
            fields={fields}
            problems={problems}
            audience={segment?.size ?? null}
            audienceNote="before the GCG is held out"
          />
          <p className="field-hint">
            Strata whose expected LCG count is below one profile are listed on the campaign's page, with a limit that fixes them, before you activate.
          </p>
          <TextField
            label="Seed of the split"
            error={seedError}
            value={seed}
            limit={MAX_SEED}
            placeholder="Random"
            className="field-seed"
            onChange={(e) => setSeed(e.target.value)}
          />
          <p className="field-hint">The same seed, audience and strata give the same split on any machine, and in SQL on a warehouse.</p>
        </div>
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton busy={saving} busyLabel="Creating…" disabled={tried && blocked}>
            Create campaign
          </SubmitButton>
        </div>
      </form>
    </Modal>
  );
}
