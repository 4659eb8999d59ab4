import { useId, useState, type FormEvent } from 'react';
import type { Campaign } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import type { AddProfilesResult } from '../../store/campaigns/lifecycle';
import { useActions } from '../../store/react';
import { idListProblem, parseProfileIds } from '../../store/segments/selectors';
import { Modal } from '../dialogs/modal';
import { SubmitButton } from '../common/submit-button';

/** Profiles added by ID to a campaign on a static segment: split as usual, or forced into Test. */
export function AddProfilesDialog({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { addCampaignProfiles } = useActions();
  const [text, setText] = useState('');
  const [forceTest, setForceTest] = useState(false);
  const [result, setResult] = useState<AddProfilesResult | null>(null);
  const [working, setWorking] = useState(false);
  const id = useId();
  const ids = parseProfileIds(text);
  const problem = text.trim() === '' ? null : idListProblem(ids);
  const built = campaign.groups.total > 0;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (idListProblem(ids) !== null || working) return;
    setWorking(true);
    const added = await addCampaignProfiles(campaign.id, ids, forceTest);
    setWorking(false);
    if (added) {
      setResult(added);
      setText('');
    }
  };

  return (
    <Modal labelledBy="add-profiles-title" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="add-profiles-title" className="modal-title">
          Add profiles to "{campaign.name}"
        </h2>
        <p className="modal-message">
          The profiles join the campaign's segment, {campaign.segmentName}
          {built ? ', and are split now like new profiles' : ', and are split when the campaign is activated'}.
        </p>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-ids`}>
            Profile IDs, one per line
          </label>
          <textarea
            id={`${id}-ids`}
            rows={6}
            value={text}
            spellCheck={false}
            data-autofocus=""
            aria-invalid={problem !== null}
            onChange={(e) => setText(e.target.value)}
          />
          {problem ? <span className="field-error">{problem}</span> : <span className="field-hint">{ids.length > 0 ? countOf(ids.length, 'ID') : ' '}</span>}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={forceTest} onChange={(e) => setForceTest(e.target.checked)} />
          Send them to Test even if they are in the LCG (they never enter the LCG)
        </label>
        {result && (
          <div className="membership-result" role="status" data-testid="add-profiles-result">
            <dl className="result-counts">
              <div>
                <dt>Added</dt>
                <dd>{formatCount(result.added)}</dd>
              </div>
              <div>
                <dt>To Test</dt>
                <dd>{formatCount(result.toTest)}</dd>
              </div>
              <div>
                <dt>To the LCG</dt>
                <dd>{formatCount(result.toControl)}</dd>
              </div>
              {result.movedToTest > 0 && (
                <div title="They were in the LCG: forced into Test, they moved, each with a Moved to Test event.">
                  <dt>Moved from the LCG to Test</dt>
                  <dd>{formatCount(result.movedToTest)}</dd>
                </div>
              )}
              <div>
                <dt>Already in</dt>
                <dd>{formatCount(result.alreadyIn)}</dd>
              </div>
              {result.inGcg > 0 && (
                <div title="The global control group holds its members out of every campaign that is not exempt from it.">
                  <dt>In the GCG, not added</dt>
                  <dd className="cell-warning">{formatCount(result.inGcg)}</dd>
                </div>
              )}
              <div>
                <dt>Not found</dt>
                <dd className={result.notFoundCount > 0 ? 'cell-warning' : undefined}>{formatCount(result.notFoundCount)}</dd>
              </div>
            </dl>
            {result.notFound.length > 0 && (
              <p className="not-found-list">
                Not in the database: <span className="cell-id">{result.notFound.join(', ')}</span>
                {result.notFoundCount > result.notFound.length && ` and ${formatCount(result.notFoundCount - result.notFound.length)} more`}
              </p>
            )}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <SubmitButton busy={working} busyLabel="Adding…" disabled={ids.length === 0 || problem !== null}>
            Add profiles
          </SubmitButton>
        </div>
      </form>
    </Modal>
  );
}
