import type { StratumRow } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { SortableTable, type Column } from '../common/sortable-table';

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(2)}`;

const COLUMNS: readonly Column<StratumRow>[] = [
  {
    key: 'label',
    label: 'Stratum',
    sortValue: (s) => s.label,
    render: (s) => (
      <span className="stratum-label" title={s.key}>
        {s.label}
        {s.quota < 1 && s.size > 0 && (
          <span className="badge badge-warning" title="Expected LCG count below one profile">
            below 1
          </span>
        )}
      </span>
    ),
  },
  { key: 'size', label: 'Size', numeric: true, sortValue: (s) => s.size, render: (s) => formatCount(s.size) },
  { key: 'quota', label: 'Quota', numeric: true, sortValue: (s) => s.quota, render: (s) => s.quota.toFixed(2) },
  { key: 'control', label: 'LCG', numeric: true, sortValue: (s) => s.control, render: (s) => formatCount(s.control) },
  { key: 'share', label: 'Share', numeric: true, sortValue: (s) => s.share, render: (s) => `${(s.share * 100).toFixed(2)} %` },
  {
    key: 'deviation',
    label: 'Deviation',
    numeric: true,
    sortValue: (s) => s.deviation,
    render: (s) => <span className={Math.abs(s.deviation) >= 1 ? 'cell-warning' : 'cell-muted'}>{signed(s.deviation)}</span>,
  },
];

/** Each stratum: its size, exact quota M·N_s/N, LCG count, LCG share and the rounding's deviation (always under one). */
export function StrataTable({ strata, label = 'Strata' }: { strata: readonly StratumRow[]; label?: string }) {
  const totals = strata.reduce((t, s) => ({ size: t.size + s.size, control: t.control + s.control }), { size: 0, control: 0 });
  return (
    <div className="strata-table-box">
      <SortableTable
        label={label}
        rows={strata}
        columns={COLUMNS}
        rowKey={(s) => s.key}
        pageSize={25}
        initialSort={{ key: 'size', direction: 'desc' }}
        className="strata-table"
        testId="strata-table"
        rowClassName={(s) => (s.quota < 1 && s.size > 0 ? 'row-warning' : undefined)}
      />
      <p className="field-hint">
        {formatCount(strata.length)} strata · {formatCount(totals.size)} profiles · {formatCount(totals.control)} in the LCG. Quota is the exact
        proportional share; the LCG count differs from it by less than one profile (largest remainder).
      </p>
    </div>
  );
}
