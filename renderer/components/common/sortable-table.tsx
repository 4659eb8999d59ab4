import { useMemo, useState, type ReactNode } from 'react';
import { formatCount } from '../../../shared/format';

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  readonly render: (row: T) => ReactNode;
  /** The value to sort by; a column without one does not sort. */
  readonly sortValue?: (row: T) => string | number | null;
  readonly numeric?: boolean;
  /** A header only screen readers hear (an actions column). */
  readonly hiddenLabel?: boolean;
  readonly className?: string;
}

interface SortableTableProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string | number;
  /** Rows a page shows; a pager appears when there are more. */
  readonly pageSize?: number;
  readonly initialSort?: { readonly key: string; readonly direction: 'asc' | 'desc' };
  readonly className?: string;
  /** Extra content under a row (an expanded history entry), spanning every column. */
  readonly renderDetail?: (row: T) => ReactNode | null;
  readonly rowClassName?: (row: T) => string | undefined;
  readonly testId?: string;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * A table of rows the window already holds (segments, campaigns, strata, split versions):
 * a click on a header sorts by it (again: the other way), and long lists page.
 */
export function SortableTable<T>({
  label,
  rows,
  columns,
  rowKey,
  pageSize = 50,
  initialSort,
  className,
  renderDetail,
  rowClassName,
  testId,
}: SortableTableProps<T>) {
  const [sort, setSort] = useState(initialSort ?? null);
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    const column = sort ? columns.find((c) => c.key === sort.key) : undefined;
    const by = column?.sortValue;
    if (!sort || !by) return rows;
    const factor = sort.direction === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(by(a), by(b)));
  }, [rows, columns, sort]);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize);

  const toggle = (key: string) => {
    setSort((s) => ({ key, direction: s?.key === key && s.direction === 'asc' ? 'desc' : 'asc' }));
    setPage(0);
  };

  return (
    <div className="sortable-table">
      <div className="table-scroll">
        <table className={`data-table ${className ?? ''}`} aria-label={label} data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => {
                const direction = sort?.key === c.key ? sort.direction : null;
                const thClass = [c.numeric ? 'numeric' : '', c.className ?? ''].join(' ').trim() || undefined;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={thClass}
                    aria-sort={c.sortValue ? (direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none') : undefined}
                  >
                    {c.hiddenLabel ? (
                      <span className="visually-hidden">{c.label}</span>
                    ) : c.sortValue ? (
                      <button type="button" className="th-sort" onClick={() => toggle(c.key)}>
                        {c.label}
                        <span className="sort-mark" aria-hidden="true">
                          {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const detail = renderDetail?.(row) ?? null;
              return (
                <TableRows key={rowKey(row)} row={row} columns={columns} detail={detail} className={rowClassName?.(row)} />
              );
            })}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div className="pager" role="group" aria-label={`Pages of ${label}`}>
          <button type="button" className="button button-plain button-small" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span className="pager-text">
            {formatCount(current * pageSize + 1)}–{formatCount(Math.min(sorted.length, (current + 1) * pageSize))} of {formatCount(sorted.length)}
          </span>
          <button type="button" className="button button-plain button-small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </div>
      )}
    </div>
  );
}

function TableRows<T>({ row, columns, detail, className }: { row: T; columns: readonly Column<T>[]; detail: ReactNode | null; className: string | undefined }) {
  return (
    <>
      <tr className={className}>
        {columns.map((c) => {
          const tdClass = [c.numeric ? 'numeric' : '', c.className ?? ''].join(' ').trim() || undefined;
          return (
            <td key={c.key} className={tdClass}>
              {c.render(row)}
            </td>
          );
        })}
      </tr>
      {detail !== null && (
        <tr className="detail-row">
          <td colSpan={columns.length}>{detail}</td>
        </tr>
      )}
    </>
  );
}
