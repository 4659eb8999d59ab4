import type { DatabaseDetail } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { MODE_LABELS } from '../../store/import-wizard/selectors';
import { formatInstant } from '../../store/start/selectors';

/** Every import into the database, newest first, with what each did. */
export function ImportsPanel({ detail }: { detail: DatabaseDetail }) {
  return (
    <section className="panel" aria-labelledby="imports-title">
      <h3 id="imports-title" className="panel-title">
        Import history
      </h3>
      {detail.imports.length === 0 ? (
        <p className="empty-note">Nothing has been imported into this database yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table imports-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Imported</th>
                <th scope="col">Project clock</th>
                <th scope="col">Mode</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
                <th scope="col" className="numeric">
                  Added
                </th>
                <th scope="col" className="numeric">
                  Updated
                </th>
                <th scope="col" className="numeric">
                  Unchanged
                </th>
                <th scope="col" className="numeric">
                  Skipped
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.imports.map((imp) => (
                <tr key={imp.id}>
                  <td className="cell-strong">{imp.fileName}</td>
                  <td>{formatInstant(imp.importedAt)}</td>
                  <td className="cell-muted">{formatClock(imp.clock)}</td>
                  <td>{MODE_LABELS[imp.mode]}</td>
                  <td className="numeric">{formatCount(imp.rowsRead)}</td>
                  <td className="numeric">{formatCount(imp.added)}</td>
                  <td className="numeric">{formatCount(imp.updated)}</td>
                  <td className="numeric">{formatCount(imp.unchanged)}</td>
                  <td className={imp.skipped > 0 ? 'numeric cell-warning' : 'numeric'}>{formatCount(imp.skipped)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
