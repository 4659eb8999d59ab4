import type { ReactNode } from 'react';
import type { ResultTableData } from '../../store/simulator/tables';
import { useActions } from '../../store/react';

/** A results table as the screen shows it, with its CSV download; flagged rows stand out. */
export function ResultTable<T>({ table, note, testId }: { table: ResultTableData<T>; note?: ReactNode; testId?: string }) {
  const { downloadSimulatorTable } = useActions();
  return (
    <div className="sim-table">
      <div className="sim-table-head">
        <h4 className="sim-subtitle">{table.label}</h4>
        <button type="button" className="button button-plain button-small" aria-label={`Download ${table.label} as CSV`} onClick={() => downloadSimulatorTable(table)}>
          CSV
        </button>
      </div>
      <div className="table-scroll">
        <table className="data-table" aria-label={table.label} data-testid={testId}>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'numeric' : undefined}>
                  {headerWords(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={table.rowKey(row)} className={table.flagged?.(row) ? 'row-warning' : undefined}>
                {table.columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'numeric' : undefined}>
                    {c.text(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {note && <p className="field-hint">{note}</p>}
    </div>
  );
}

/**
 * A header as words that may wrap between them but never at a hyphen: a narrow column
 * otherwise shows "p-" over "value". The text stays the same for screen readers and tests.
 */
function headerWords(label: string): ReactNode {
  if (!label.includes('-')) return label;
  return label.split(/(\S*-\S*)/).map((part, i) => (part.includes('-') ? <span key={i} className="no-wrap">{part}</span> : part));
}
