import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ActivationPreview, Campaign, LcgChangePreview } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { previewControlTotal } from '../../store/campaigns/lcg-draft';
import { scheduleProblem } from '../../store/campaigns/selectors';
import { clockPlus } from '../../store/clock/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegment } from '../../store/segments/selectors';
import { Modal } from '../dialogs/modal';
import { StratificationWarningBox } from './stratification-warning';

/**
 * Activate now, or at a moment on the project clock. Before either, the stratification
 * is checked (strata expected to get less than one LCG profile are listed, with a fix), and
 * an activation that would put nobody in Test (an empty audience, an LCG taking everyone)
 * must be confirmed.
 */
export function ActivateDialog({ campaign, mode, onClose }: { campaign: Campaign; mode: 'now' | 'later'; onClose: () => void }) {
  const { activateCampaign, scheduleCampaign, previewLcg, previewActivation, changeLcg } = useActions();
  const clock = useApp((s) => (s.project.open ? s.project.clock : ''));
  const segment = useApp(selectSegment(campaign.segmentId));
  const [at, setAt] = useState(() => campaign.activateAt ?? clockPlus(clock, 24 * 60));
  const [preview, setPreview] = useState<LcgChangePreview | null>(null);
  const [activation, setActivation] = useState<ActivationPreview | null>(null);
  // Until the engine has said whether there is anything to confirm, the dialog waits.
  const [checked, setChecked] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [working, setWorking] = useState(false);
  const problem = mode === 'later' ? scheduleProblem(at, clock) : null;
  const mustConfirm = (activation?.problems.length ?? 0) > 0;
  const lcgKey = JSON.stringify(campaign.lcg);

  // The exact count first (a quick count of the segment); the strata check after it, as it
  // may pass over the whole audience (the engine lets the count go first, request-queue.ts).
  useEffect(() => {
    let live = true;
    void previewActivation(campaign.id).then((p) => {
      if (!live) return;
      setActivation(p);
      setChecked(true);
    });
    return () => {
      live = false;
    };
  }, [campaign.id, lcgKey, previewActivation]);

  useEffect(() => {
    let live = true;
    void previewLcg(campaign.id, JSON.parse(lcgKey) as Campaign['lcg']).then((p) => {
      if (live) setPreview(p);
    });
    return () => {
      live = false;
    };
  }, [campaign.id, lcgKey, previewLcg]);

  // The button waits for the engine's check; once it is done, the focus (kept on the dialog
  // meanwhile) goes to what to do next: the confirmation when one is needed, else the button.
  const submitRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!checked) return;
    const dialog = submitRef.current?.closest('[role="dialog"]');
    if (dialog && document.activeElement === dialog) (confirmRef.current ?? submitRef.current)?.focus();
  }, [checked]);

  // The engine's activation preview counts the audience the build will have (the segment
  // without the GCG as it is now); the LCG preview counts the members a campaign built before
  // still has, GCG members who will leave included.
  const audience = activation?.audience ?? (preview ? preview.strata.reduce((n, s) => n + s.size, 0) : (segment?.size ?? 0));
  const control = activation?.control ?? (preview ? preview.strata.reduce((n, s) => n + s.control, 0) : previewControlTotal(campaign.lcg, audience));
  // A campaign built before keeps who is in its groups: the LCG reaches its size only as new profiles allow.
  const builtBefore = campaign.activatedClock !== null;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null || working || !checked || (mustConfirm && !confirmed)) return;
    setWorking(true);
    onClose();
    const options = mustConfirm ? { confirmed: true } : {};
    if (mode === 'now') await activateCampaign(campaign.id, options);
    else await scheduleCampaign(campaign.id, at, options);
  };

  return (
    <Modal labelledBy="activate-title" className="activate-dialog" onCancel={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="dialog-form">
        <h2 id="activate-title" className="modal-title">
          {mode === 'now' ? `Activate "${campaign.name}" now` : `Schedule "${campaign.name}"`}
        </h2>
        <p className="modal-message">
          {mode === 'now'
            ? `The audience is built now, at ${formatClock(clock)} on the project clock: the segment's members, without the global control group${campaign.gcgExempt ? ' (this campaign is exempt from it)' : ''}, split into Test and LCG.`
            : 'The campaign waits, and activates when the project clock passes that moment (Advance clock… in the status bar).'}
        </p>
        <dl className="facts">
          <dt>Segment</dt>
          <dd>
            {campaign.segmentName}
            {segment && <span className="cell-muted"> · {formatCount(segment.size)} profiles</span>}
          </dd>
          <dt>LCG</dt>
          <dd data-testid="activate-lcg">
            {control === null
              ? '—'
              : !activation && !preview
                ? `about ${formatCount(control)}`
                : builtBefore
                  ? `about ${formatCount(control)} of ${formatCount(audience)} profiles`
                  : `${formatCount(control)} of ${formatCount(audience)} profiles, as of now`}
          </dd>
        </dl>
        {mode === 'later' && (
          <div className="field">
            <label className="field-label" htmlFor="activate-at">
              Starts at (project clock)
            </label>
            <input
              id="activate-at"
              type="datetime-local"
              value={at}
              min={clockPlus(clock, 1)}
              aria-invalid={problem !== null}
              aria-describedby={problem ? 'activate-at-problem' : undefined}
              onChange={(e) => setAt(e.target.value)}
            />
            {problem && (
              <span id="activate-at-problem" className="field-error" role="alert">
                {problem}
              </span>
            )}
          </div>
        )}
        {!checked && (
          <p className="field-hint" role="status">
            Counting the audience as of now…
          </p>
        )}
        {mustConfirm && activation && (
          <div className="callout callout-warning" role="alert" data-testid="activation-problems">
            {activation.problems.map((p) => (
              <p key={p.kind}>{p.message}</p>
            ))}
            <label className="checkbox">
              <input ref={confirmRef} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              {mode === 'now' ? 'Activate anyway' : 'Schedule anyway'}: nobody would be in Test
            </label>
          </div>
        )}
        {preview?.warning && (
          <StratificationWarningBox
            warning={preview.warning}
            lcg={campaign.lcg}
            audience={audience}
            onApply={(lcg) => {
              void changeLcg(campaign.id, lcg);
            }}
          />
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <button ref={submitRef} type="submit" className="button button-primary" data-autofocus="" disabled={problem !== null || working || !checked || (mustConfirm && !confirmed)}>
            {mode === 'now' ? (mustConfirm ? 'Activate anyway' : 'Activate now') : mustConfirm ? 'Schedule anyway' : 'Schedule'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
