import { useState, type FormEvent } from 'react';
import { MAX_ACTIVITY_NAME, ACTIVITY_TYPE_LABELS, ACTIVITY_TYPES, type Activity, type ActivityType, type Campaign } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { activityNameProblem, DEFAULT_VARIANTS, variantPercent, variantsProblem, type VariantDraft } from '../../store/activities/selectors';
import { useActions, useAppShallow } from '../../store/react';
import { audienceAdditionRefusal } from '../../../shared/domain/campaign-status';
import { selectSegmentsOf } from '../../store/segments/selectors';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { SubmitButton } from '../common/submit-button';

const TYPE_HINTS: Readonly<Record<ActivityType, string>> = {
  broadcast: 'One message to everybody at once.',
  regular_mailing: 'A message repeated on a schedule; paused while the LCG is rebuilt.',
  triggered_mailing: 'Sent when a profile does something.',
  ab_test: 'Recipients divided between variants by share.',
  scenario: 'A sequence of steps; a profile leaving the campaign stops its scenario.',
  placement: 'A banner or a block shown in an app or on a site.',
};

/** A new activity of the campaign, or one to change (its type stays). */
export function ActivityDialog({ campaign, activity, onClose }: { campaign: Campaign; activity: Activity | null; onClose: () => void }) {
  const { createActivity, updateActivity } = useActions();
  const segments = useAppShallow(selectSegmentsOf(campaign.databaseId));
  // The guide's rule, as the engine checks it: no expansion in a campaign on an updatable or dynamic segment.
  const noExpansion = audienceAdditionRefusal(segments.find((s) => s.id === campaign.segmentId)?.kind ?? 'static', 'expansion');
  const [name, setName] = useState(activity?.name ?? '');
  const [type, setType] = useState<ActivityType>(activity?.type ?? 'broadcast');
  const [segmentId, setSegmentId] = useState<number | null>(activity?.segmentId ?? null);
  const [ignoreLcg, setIgnoreLcg] = useState(activity?.ignoreLcg ?? false);
  const [ignoreSubscription, setIgnoreSubscription] = useState(activity?.ignoreSubscription ?? false);
  const [expansion, setExpansion] = useState(activity?.audienceExpansion ?? false);
  const [variants, setVariants] = useState<readonly VariantDraft[]>(
    activity && activity.variants.length > 0 ? activity.variants.map((v) => ({ name: v.name, percentText: String(v.percent) })) : DEFAULT_VARIANTS,
  );
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const nameProblem = activityNameProblem(name);
  const vProblem = type === 'ab_test' ? variantsProblem(variants) : null;
  const sum = variants.reduce((n, v) => n + (Number.isFinite(variantPercent(v)) ? Math.round(variantPercent(v) * 100) : 0), 0) / 100;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (nameProblem || vProblem || working) return;
    setWorking(true);
    const draft = {
      name,
      segmentId,
      ignoreLcg,
      ignoreSubscription: ignoreLcg && ignoreSubscription,
      audienceExpansion: segmentId !== null && expansion && noExpansion === null,
      variants: type === 'ab_test' ? variants.map((v) => ({ name: v.name.trim(), percent: variantPercent(v) })) : [],
    };
    const done = activity ? await updateActivity(activity, draft) : (await createActivity(campaign.databaseId, campaign.id, { ...draft, type })) !== null;
    setWorking(false);
    if (done) onClose();
  };
  const setVariant = (index: number, next: VariantDraft | null) => setVariants(variants.flatMap((v, i) => (i === index ? (next ? [next] : []) : [v])));

  return (
    <Modal labelledBy="activity-title" className="activity-dialog" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="activity-title" className="modal-title">
          {activity ? `Edit "${activity.name}"` : `New activity in "${campaign.name}"`}
        </h2>
        <div className="form-row">
          <TextField
            label="Activity name"
            error={name === '' && !tried ? null : nameProblem}
            value={name}
            limit={MAX_ACTIVITY_NAME}
            data-autofocus=""
            placeholder="Spring newsletter"
            onChange={(e) => setName(e.target.value)}
          />
          <label className="field">
            <span className="field-label">Type</span>
            <select value={type} disabled={activity !== null} onChange={(e) => setType(e.target.value as ActivityType)}>
              {ACTIVITY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {ACTIVITY_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="field-hint">{TYPE_HINTS[type]}</p>
        <label className="field">
          <span className="field-label">Segment</span>
          <select value={segmentId === null ? '' : String(segmentId)} onChange={(e) => setSegmentId(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">The whole campaign audience</option>
            {segments.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name} ({formatCount(s.size)} profiles)
              </option>
            ))}
          </select>
          <span className="field-hint">Recipients are in both this segment and the campaign's audience.</span>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={ignoreLcg} onChange={(e) => setIgnoreLcg(e.target.checked)} />
          Ignore the LCG: reach the control group too (transactional messages)
        </label>
        <label className="checkbox checkbox-nested">
          <input type="checkbox" checked={ignoreLcg && ignoreSubscription} disabled={!ignoreLcg} onChange={(e) => setIgnoreSubscription(e.target.checked)} />
          Ignore subscription too: reach unsubscribed, unconfirmed and bounced profiles (transactional messages only)
        </label>
        <p className="field-hint">
          {ignoreLcg && ignoreSubscription
            ? 'Every subscription status is reached.'
            : 'Only subscribed profiles are reached: never unsubscribed, bounced or unconfirmed ones.'}
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={segmentId !== null && expansion && noExpansion === null}
            disabled={segmentId === null || noExpansion !== null}
            onChange={(e) => setExpansion(e.target.checked)}
          />
          Audience expansion: recipients outside the campaign join it first, and are split
        </label>
        {noExpansion !== null ? (
          <p className="field-hint" data-testid="expansion-unavailable">
            {noExpansion}
          </p>
        ) : (
          segmentId === null && <p className="field-hint">Audience expansion needs a segment of the activity's own.</p>
        )}
        {type === 'ab_test' && (
          <fieldset className="option-group variants">
            <legend>Variants</legend>
            {variants.map((v, i) => (
              <div key={i} className="variant-row">
                <input type="text" aria-label={`Name of variant ${i + 1}`} value={v.name} onChange={(e) => setVariant(i, { ...v, name: e.target.value })} />
                <input
                  type="text"
                  inputMode="decimal"
                  aria-label={`Share of variant ${i + 1}, %`}
                  value={v.percentText}
                  className="variant-percent"
                  onChange={(e) => setVariant(i, { ...v, percentText: e.target.value })}
                />
                <span className="cell-muted">%</span>
                <button type="button" className="icon-button" aria-label={`Remove variant ${i + 1}`} disabled={variants.length <= 2} onClick={() => setVariant(i, null)}>
                  ×
                </button>
              </div>
            ))}
            <div className="inline-actions">
              <button
                type="button"
                className="button button-plain button-small"
                disabled={variants.length >= 26}
                onClick={() => setVariants([...variants, { name: String.fromCharCode(65 + variants.length), percentText: '' }])}
              >
                Add a variant
              </button>
              <span className={sum === 100 ? 'field-hint' : 'field-hint cell-warning'}>Total {sum} %</span>
            </div>
            {vProblem && <span className="field-error">{vProblem}</span>}
          </fieldset>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <SubmitButton busy={working} busyLabel={activity ? 'Saving…' : 'Creating…'} disabled={tried && (nameProblem !== null || vProblem !== null)}>
            {activity ? 'Save' : 'Create activity'}
          </SubmitButton>
        </div>
      </form>
    </Modal>
  );
}
