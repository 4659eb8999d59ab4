import { Fragment, useId } from 'react';
import type { AssignmentCheck } from '../../../shared/contract/warehouse';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { assignmentVerdict, countsDiffer, differenceText, fingerprintComparison, GROUP_LABELS, selectAssignmentCheck, strataByDifference } from '../../store/warehouse/selectors';
import { Modal } from '../dialogs/modal';
import { RunProgress } from '../feedback/run-progress';

const selectVerifyOperation = selectOperationOf('warehouse/verifyAssignment');

/**
 * Verify a warehouse's output: the CSV its query gave, compared with the campaign's split:
 * whether it matches, counts per group and stratum on both sides, the IDs that differ and
 * both fingerprints.
 */
export function VerifyAssignmentDialog({ campaignName }: { campaignName: string }) {
  const check = useApp(selectAssignmentCheck);
  const op = useApp(selectVerifyOperation);
  const { verifyAssignmentFile, closeAssignmentCheck } = useActions();
  const id = useId();
  if (!check) return null;
  const { result } = check;
  return (
    <Modal labelledBy={`${id}-title`} className="verify-dialog" onCancel={closeAssignmentCheck}>
      <h2 id={`${id}-title`} className="modal-title">
        Verify a warehouse’s output for “{campaignName}”
      </h2>
      <p className="modal-message">
        Choose the CSV file the warehouse’s query gave: a column <code>id</code> (or <code>profile_id</code>), a column <code>group</code> (test or control) and, if
        you have it, <code>stratum</code>. It is compared with this campaign’s split, ID by ID.
      </p>
      {check.fileName && (
        <p className="fact-path" data-testid="verify-file">
          {check.fileName}
        </p>
      )}
      <RunProgress method="warehouse/verifyAssignment" label="the comparison" />
      {check.error && (
        <p className="callout callout-error" role="alert" data-testid="verify-error">
          {check.error}
        </p>
      )}
      {result && <AssignmentResult result={result} />}
      <div className="modal-actions">
        <button type="button" className={`button ${result ? 'button-plain' : 'button-primary'}`} disabled={op !== null} data-autofocus onClick={() => void verifyAssignmentFile()}>
          {check.fileName ? 'Choose another file…' : 'Choose CSV file…'}
        </button>
        <button type="button" className={`button ${result ? 'button-primary' : 'button-plain'}`} onClick={closeAssignmentCheck}>
          Close
        </button>
      </div>
    </Modal>
  );
}

function AssignmentResult({ result }: { result: AssignmentCheck }) {
  const { differences: d } = result;
  const tableId = useId();
  const rows = [{ key: '(all)', label: 'All profiles', app: result.app, file: result.file }, ...(result.strata.length > 1 ? strataByDifference(result.strata) : [])];
  return (
    <div className="verify-result" data-testid="verify-result">
      <p className={`callout ${result.matches ? 'callout-success' : 'callout-warning'}`} role="status" data-testid="verify-verdict">
        {assignmentVerdict(result)}
      </p>
      <p className="field-hint">{countOf(result.rowsRead, 'row')} read from the file.</p>
      <dl className="verify-fingerprints" data-testid="verify-fingerprints">
        <dt>App’s fingerprint</dt>
        <dd>
          <code>{result.fingerprints.app ?? '—'}</code>
        </dd>
        <dt>File’s fingerprint</dt>
        <dd>
          <code>{result.fingerprints.file ?? '—'}</code> {fingerprintComparison(result) !== '' && <span className="cell-muted">({fingerprintComparison(result)})</span>}
        </dd>
      </dl>
      {d.first.length > 0 && (
        <>
          <h3 className="section-title">{d.count > d.first.length ? `The first ${formatCount(d.first.length)} of ${countOf(d.count, 'differing ID')}` : `${countOf(d.count, 'differing ID')}`}</h3>
          <table className="data-table verify-differences" aria-label="IDs that differ" data-testid="verify-differences">
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">App</th>
                <th scope="col">File</th>
                <th scope="col">What differs</th>
              </tr>
            </thead>
            <tbody>
              {d.first.map((diff) => (
                <tr key={diff.id}>
                  <td className="cell-id">{diff.id}</td>
                  <td>{diff.app === null ? '—' : GROUP_LABELS[diff.app]}</td>
                  <td>{diff.file === null ? '—' : GROUP_LABELS[diff.file]}</td>
                  <td>{differenceText(diff)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3 className="section-title" id={`${tableId}-title`}>
        Counts per group and stratum
      </h3>
      <table className="data-table verify-counts" aria-labelledby={`${tableId}-title`}>
        <thead>
          <tr>
            <th scope="col">Stratum</th>
            {(['test', 'control'] as const).map((group) =>
              (['app', 'file'] as const).map((side) => (
                <th key={`${group}-${side}`} scope="col" className="numeric">
                  {GROUP_LABELS[group]} ({side})
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            return (
              <tr key={row.key} className={countsDiffer(row) ? 'row-warning' : undefined}>
                <th scope="row" title={row.key}>
                  {row.label}
                </th>
                {(['test', 'control'] as const).map((group) => (
                  <Fragment key={group}>
                    <td className="numeric">{formatCount(row.app[group])}</td>
                    <td className={`numeric${row.app[group] !== row.file[group] ? ' cell-warning' : ''}`}>{formatCount(row.file[group])}</td>
                  </Fragment>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
