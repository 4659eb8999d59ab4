import type { OutcomeFile } from '../../../shared/contract/analytics';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { formatInstant } from '../../store/start/selectors';
import { RunProgress } from '../feedback/run-progress';

/**
 * The campaign's outcome file: outcomes that are not profile events (a renewal, a revenue
 * figure from another system), one row per profile. Importing one replaces the earlier
 * file; rows of profiles the database does not have are counted and named, not kept.
 */
export function OutcomeFileSection({ outcomes, error }: { outcomes: OutcomeFile | null | undefined; error: string | null }) {
  const { importOutcomeFile } = useActions();
  const importing = useApp(selectOperationOf('analytics/importOutcomes')) !== null;
  return (
    <section className="sim-group" aria-labelledby="analytics-outcomes-title" data-testid="analytics-outcomes">
      <h3 id="analytics-outcomes-title" className="sim-group-title">
        Outcome file (optional)
      </h3>
      <p className="field-hint">A CSV file with a profile ID column and one or more number or yes/no columns, such as a renewal or revenue from another system.</p>
      <div className="inline-actions">
        <button type="button" className="button" disabled={importing} onClick={() => void importOutcomeFile()}>
          {outcomes ? 'Import another outcome file…' : 'Import outcome file…'}
        </button>
      </div>
      <RunProgress method="analytics/importOutcomes" label="importing the outcome file" />
      {error && (
        <p className="callout callout-error" role="alert" data-testid="analytics-outcomes-error">
          {error}
        </p>
      )}
      {outcomes && <OutcomeSummary file={outcomes} />}
    </section>
  );
}

function OutcomeSummary({ file }: { file: OutcomeFile }) {
  return (
    <div className="analytics-outcome-summary" data-testid="analytics-outcome-summary">
      <p>
        <strong>{file.fileName}</strong>, imported {formatInstant(file.importedAt)}: {countOf(file.rows, 'row')}.
      </p>
      <ul className="analytics-columns">
        {file.columns.map((c) => (
          <li key={c.name}>
            {c.name}: {c.binary ? 'yes/no' : 'number'}, {formatCount(c.values)} {c.values === 1 ? 'profile' : 'profiles'} with a value
          </li>
        ))}
      </ul>
      {file.unknownProfiles > 0 && (
        <p className="callout callout-warning" role="status" data-testid="analytics-unknown-profiles">
          {countOf(file.unknownProfiles, 'row')} {file.unknownProfiles === 1 ? 'names a profile' : 'name profiles'} this database does not have: not kept
          {file.unknownExamples.length > 0 ? ` (${file.unknownExamples.slice(0, 5).join(', ')}${file.unknownProfiles > 5 ? ', …' : ''})` : ''}.
        </p>
      )}
    </div>
  );
}
