import { useId } from 'react';
import type { CampaignRuleCheck, ProjectCheck } from '../../../shared/contract/warehouse';
import { CAMPAIGN_STATUS_LABELS, CAMPAIGN_STATUSES, type CampaignStatus } from '../../../shared/domain/campaign-status';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { GROUP_LABELS, ruleCheckSummary, selectProjectCheck } from '../../store/warehouse/selectors';
import { Modal } from '../dialogs/modal';
import { RunProgress } from '../feedback/run-progress';

const selectCheckOperation = selectOperationOf('warehouse/verifyProject');

const statusText = (status: string) => ((CAMPAIGN_STATUSES as readonly string[]).includes(status) ? CAMPAIGN_STATUS_LABELS[status as CampaignStatus] : status);

/**
 * Check all splits: every campaign's stored groups recomputed from its recorded settings
 * and history, per campaign OK or not, with the counts and the problems found.
 */
export function CheckSplitsDialog() {
  const check = useApp(selectProjectCheck);
  const op = useApp(selectCheckOperation);
  const { checkAllSplits, closeProjectCheck } = useActions();
  const id = useId();
  if (!check) return null;
  const { result } = check;
  return (
    <Modal labelledBy={`${id}-title`} className="check-splits-dialog" onCancel={closeProjectCheck}>
      <h2 id={`${id}-title`} className="modal-title">
        Check all splits
      </h2>
      <p className="modal-message">
        Each campaign’s split is computed again from its recorded settings and history; its stored groups must be exactly what the rule gives. A file whose groups were
        edited by hand or by another program fails here.
      </p>
      <RunProgress method="warehouse/verifyProject" label="the check of all splits" />
      {check.error && (
        <p className="callout callout-error" role="alert" data-testid="check-splits-error">
          {check.error}
        </p>
      )}
      {result && <ProjectCheckResult result={result} />}
      <div className="modal-actions">
        <button type="button" className="button button-plain" disabled={op !== null} onClick={() => void checkAllSplits()}>
          Check again
        </button>
        <button type="button" className="button button-primary" data-autofocus onClick={closeProjectCheck}>
          Close
        </button>
      </div>
    </Modal>
  );
}

function projectVerdict(result: ProjectCheck): string {
  const total = result.campaigns.length;
  if (total === 0) return 'The project has no campaigns to check.';
  if (result.ok) return total === 1 ? 'The campaign’s split is exactly what the rule gives.' : `All ${formatCount(total)} campaigns’ splits are exactly what the rule gives.`;
  const failing = result.campaigns.filter((c) => !c.ok).length;
  return `${formatCount(failing)} of ${countOf(total, 'campaign')} ${failing === 1 ? 'has a split' : 'have splits'} that the rule does not give: see below.`;
}

function ProjectCheckResult({ result }: { result: ProjectCheck }) {
  const failing = result.campaigns.filter((c) => !c.ok);
  return (
    <div className="verify-result" data-testid="check-splits-result">
      <p className={`callout ${result.ok ? 'callout-success' : 'callout-warning'}`} role="status" data-testid="check-splits-verdict">
        {projectVerdict(result)}
      </p>
      {result.campaigns.length > 0 && (
        <table className="data-table" aria-label="Splits per campaign" data-testid="check-splits-table">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Members
              </th>
              <th scope="col" className="numeric">
                Wrong group
              </th>
              <th scope="col">Split</th>
              <th scope="col">Fingerprint</th>
            </tr>
          </thead>
          <tbody>
            {result.campaigns.map((c) => (
              <tr key={c.campaignId} className={c.ok ? undefined : 'row-warning'}>
                <th scope="row" className="name-cell" title={c.name}>
                  <span className="name-clamp">{c.name}</span>
                </th>
                <td>{statusText(c.status)}</td>
                <td className="numeric">{formatCount(c.members)}</td>
                <td className={`numeric${c.wrong > 0 ? ' cell-warning' : ''}`}>{formatCount(c.wrong)}</td>
                <td className={c.ok ? undefined : 'cell-warning'}>{c.ok ? 'OK' : 'Not the rule’s'}</td>
                <td>{c.fingerprint === null ? <span className="cell-muted">—</span> : <code>{c.fingerprint}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {failing.map((c) => (
        <CampaignProblems key={c.campaignId} check={c} />
      ))}
    </div>
  );
}

function CampaignProblems({ check }: { check: CampaignRuleCheck }) {
  return (
    <section className="check-problems" aria-label={`Problems of ${check.name}`} data-testid="check-splits-problems">
      <h3 className="section-title">{check.name}</h3>
      <p>{ruleCheckSummary(check)}</p>
      {check.problems.length > 0 && (
        <ul className="check-problem-list">
          {check.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {check.first.length > 0 && (
        <p className="field-hint">
          {check.wrong > check.first.length ? 'The first of them: ' : 'They are: '}
          {check.first.map((m, i) => (
            <span key={m.id}>
              {i > 0 && ', '}
              <span className="cell-id">{m.id}</span> ({GROUP_LABELS[m.stored]}, should be {GROUP_LABELS[m.expected]})
            </span>
          ))}
          .
        </p>
      )}
    </section>
  );
}
