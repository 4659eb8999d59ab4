import type { EventsImportResult } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { targetLabel } from '../../store/import-wizard/selectors';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { formatDuration } from '../../store/operations/selectors';
import { useApp } from '../../store/react';
import { Cancelled, Problems, RowsTable } from './result-step';

/** Why nothing was imported, in words; null when events were imported. */
function refusal(result: EventsImportResult, wizard: ImportWizardState, database: string): string | null {
  if (result.outcome === 'imported') return null;
  if (result.rowsRead === 0) return 'Nothing was imported: the file has no data rows.';
  if (result.problemCount > 0 && wizard.onBadRows === 'stop') {
    return `Nothing was imported: ${countOf(result.skipped, 'row has a problem', 'rows have problems')} (below, with the row, column and value). Fix the file and import it again, or go back to the options and choose to skip bad rows.`;
  }
  if (result.unknownProfiles.rows > 0) return `Nothing was imported: no row is of a profile of ${database}.`;
  return 'Nothing was imported: every row has a problem.';
}

/** What an events import did: counts, the rows of unknown profiles, and every problem. */
export function EventsResultStep({ wizard }: { wizard: ImportWizardState }) {
  const database = useApp(targetLabel);
  const result = wizard.eventsResult;
  if (wizard.cancelled || !result) return <Cancelled />;
  const refused = refusal(result, wizard, database);
  const unknown = result.unknownProfiles;
  const counts: readonly [string, string, number][] = [
    ['rows-read', 'Rows read', result.rowsRead],
    ['imported', 'Events imported', result.imported],
    ['unknown', 'Rows of unknown profiles', unknown.rows],
    ['skipped', 'Skipped', result.skipped],
  ];
  return (
    <div className="wizard-step result-step">
      {refused === null ? (
        <p className="callout callout-success" role="status" data-testid="import-outcome">
          {countOf(result.imported, 'event')} imported into <strong>{database}</strong> in {formatDuration(result.durationMs / 1000)}.
        </p>
      ) : (
        <p className="callout callout-error" role="status" data-testid="import-outcome">
          {refused}
        </p>
      )}
      {result.outcome === 'imported' && (
        <dl className="result-counts" aria-label="Import counts">
          {counts.map(([key, label, value]) => (
            <div key={key} className={`result-count${(key === 'skipped' || key === 'unknown') && value > 0 ? ' warning' : ''}`} data-testid={`count-${key}`}>
              <dt>{label}</dt>
              <dd>{formatCount(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {result.afterClock > 0 && (
        <p className="wizard-note">
          {countOf(result.afterClock, 'event is', 'events are')} after the project clock: kept, but{' '}
          {result.afterClock === 1 ? 'it does' : 'they do'} not exist for lists and conditions until the clock reaches{' '}
          {result.afterClock === 1 ? 'its' : 'their'} time.
        </p>
      )}
      {unknown.rows > 0 && <UnknownProfiles unknown={unknown} />}
      <Problems wizard={wizard} result={result} />
    </div>
  );
}

/** Rows whose profile ID is not in the database: counted, the first listed, never imported. */
function UnknownProfiles({ unknown }: { unknown: EventsImportResult['unknownProfiles'] }) {
  const more = unknown.rows - unknown.first.length;
  return (
    <section className="problems unknown-profiles">
      <h3 id="unknown-title" className="panel-title">
        {countOf(unknown.rows, 'row')} of {countOf(unknown.ids, 'profile ID')} not in the database
      </h3>
      <p className="wizard-note">Their events were not imported: an events import never adds profiles. Import the profiles first to keep them.</p>
      <RowsTable labelledBy="unknown-title" columns={['Profile ID']}>
        {unknown.first.map((u) => (
          <tr key={u.row}>
            <td className="numeric">{u.row}</td>
            <td className="cell-id">{u.profileId}</td>
          </tr>
        ))}
      </RowsTable>
      {more > 0 && <p className="wizard-note">…and {countOf(more, 'more row')}.</p>}
    </section>
  );
}
