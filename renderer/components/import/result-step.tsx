import type { ReactNode } from 'react';
import { formatCount } from '../../../shared/format';
import { nothingImported } from '../../../shared/import-summary';
import { countOf } from '../../lib/text';
import { formatDuration, selectOperationOf } from '../../store/operations/selectors';
import type { ImportResult } from '../../../shared/contract/index';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { targetLabel } from '../../store/import-wizard/selectors';
import { useApp } from '../../store/react';
import { InlineProgress } from '../feedback/inline-progress';

const selectImportOperation = selectOperationOf('import/run');
const selectEventsOperation = selectOperationOf('events/import');

/** The run: progress, with Cancel in the footer. */
export function RunningStep({ wizard }: { wizard: ImportWizardState }) {
  const op = useApp(wizard.importing === 'events' ? selectEventsOperation : selectImportOperation);
  const label = useApp(targetLabel);
  return (
    <div className="wizard-step running-step" aria-live="polite">
      <p className="wizard-lead">
        Importing {wizard.importing === 'events' ? 'events from ' : ''}
        <strong>{wizard.preview?.fileName}</strong> into <strong>{label}</strong>…
      </p>
      <InlineProgress op={op} />
      <p className="wizard-note">The whole file is imported in one step: until it ends, nothing in the project changes.</p>
    </div>
  );
}

/** What the import did: counts, and every problem with its row, column, value and reason. */
export function ResultStep({ wizard }: { wizard: ImportWizardState }) {
  const result = wizard.result;
  if (wizard.cancelled || !result) return <Cancelled />;
  const stopped = result.outcome === 'stopped';
  // An import that adds and updates nothing is never shown as a success.
  const nothing = nothingImported(result);
  const hints = [
    stopped && result.problems.some((p) => p.code === 'unknown_enum_value') ? 'Back in Columns, you can add the values a list lacks to it.' : '',
    stopped && wizard.onBadRows === 'stop' && result.skipped < result.rowsRead ? 'Fix the file, or go back and choose to skip bad rows.' : '',
  ].filter((hint) => hint !== '');
  const counts: readonly [string, number][] = [
    ['Added', result.added],
    ['Updated', result.updated],
    ['Unchanged', result.unchanged],
    ['Skipped', result.skipped],
    ['Left alone', result.leftAlone],
  ];
  return (
    <div className="wizard-step result-step">
      {nothing !== null ? (
        <p className={stopped ? 'callout callout-error' : 'callout callout-info'} role="status" data-testid="import-outcome">
          {[nothing, ...hints].join(' ')}
        </p>
      ) : (
        <p className="callout callout-success" role="status" data-testid="import-outcome">
          Import into <strong>{result.database?.name}</strong> done: {countOf(result.rowsRead, 'row')} read in{' '}
          {formatDuration(result.durationMs / 1000)}.
        </p>
      )}
      {!stopped && (
        <dl className="result-counts" aria-label="Import counts">
          {counts.map(([label, value]) => (
            <div key={label} className={`result-count${label === 'Skipped' && value > 0 ? ' warning' : ''}`} data-testid={`count-${label.toLowerCase().replace(' ', '-')}`}>
              <dt>{label}</dt>
              <dd>{formatCount(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {result.enumValuesAdded.map(({ field, values }) => (
        <p key={field} className="wizard-note">
          Added to the list of “{field}”: {values.map((v) => `“${v}”`).join(', ')}.
        </p>
      ))}
      {!stopped && result.leftAlone > 0 && (
        <p className="wizard-note">
          {countOf(result.leftAlone, 'row was', 'rows were')} left alone by the mode: already in the database (add only) or not in it (update
          only).
        </p>
      )}
      <Problems wizard={wizard} result={result} />
    </div>
  );
}

export function Cancelled() {
  return (
    <div className="wizard-step result-step">
      <p className="callout callout-info" role="status" data-testid="import-outcome">
        The import was cancelled. Nothing was imported: the project is exactly as it was before.
      </p>
    </div>
  );
}

interface ProblemsProps {
  readonly wizard: ImportWizardState;
  readonly result: Pick<ImportResult, 'problemCount' | 'problems'>;
}

/** Every problem of a run with its row, column, value and reason; all of them are in the report. */
export function Problems({ wizard, result }: ProblemsProps) {
  const more = result.problemCount - result.problems.length;
  if (result.problemCount === 0) return null;
  return (
    <section className="problems">
      <h3 id="problems-title" className="panel-title">
        {countOf(result.problemCount, 'problem')}
      </h3>
      <RowsTable labelledBy="problems-title" columns={['Column', 'Value', 'Reason']}>
        {result.problems.map((p, i) => (
          <tr key={`${p.row}-${p.column ?? ''}-${i}`}>
            <td className="numeric">{p.row}</td>
            <td>{p.column ?? <span className="cell-muted">whole row</span>}</td>
            <td className="problem-value" title={p.value ?? undefined}>
              {p.value ?? ''}
            </td>
            <td>
              {p.reason}
              {p.relatedRow === undefined ? '' : `; the ID first appears on row ${p.relatedRow}`}
            </td>
          </tr>
        ))}
      </RowsTable>
      {more > 0 && <p className="wizard-note">…and {countOf(more, 'more problem')}: all of them are in the error report.</p>}
      {wizard.reportSaved && (
        <p className="wizard-note" role="status">
          The error report was saved as {wizard.reportSaved}.
        </p>
      )}
    </section>
  );
}

/** A scrollable table of file rows (their number first), named by a title elsewhere; the keyboard can scroll it. */
export function RowsTable({ labelledBy, columns, children }: { labelledBy: string; columns: readonly string[]; children: ReactNode }) {
  return (
    <div className="problems-scroll" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      <table className="data-table problems-table">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Row
            </th>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
