import { useMemo } from 'react';
import type { StratumRow } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { countOf, decimalText } from '../../lib/text';
import { SortableTable, type Column } from '../common/sortable-table';

/** "+1,148.40", "−0.25", "0.00": a deviation with its sign and separators. */
const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${decimalText(Math.abs(n))}`;

function strataColumns(membersStay: boolean): readonly Column<StratumRow>[] {
  return [
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
    { key: 'quota', label: 'Quota', numeric: true, sortValue: (s) => s.quota, render: (s) => decimalText(s.quota) },
    { key: 'control', label: 'LCG', numeric: true, sortValue: (s) => s.control, render: (s) => formatCount(s.control) },
    { key: 'share', label: 'Share', numeric: true, sortValue: (s) => s.share, render: (s) => `${decimalText(s.share * 100)}\u00a0%` },
    {
      key: 'deviation',
      label: 'Deviation',
      numeric: true,
      sortValue: (s) => s.deviation,
      // Where members stay put, drifting from the quota is expected, not a fault to flag.
      render: (s) => (
        <span className={membersStay ? undefined : Math.abs(s.deviation) >= 1 ? 'cell-warning' : 'cell-muted'}>{signed(s.deviation)}</span>
      ),
    },
  ];
}

interface StrataTableProps {
  readonly strata: readonly StratumRow[];
  readonly label?: string;
  /**
   * True where the split keeps existing members (a later version, an LCG change): only
   * new profiles are assigned, so LCG counts may be far from the quotas. False for a first
   * split, where rounding alone separates them.
   */
  readonly membersStay: boolean;
}

/** Each stratum: its size, exact quota M·N_s/N, LCG count, LCG share and the deviation of the count from the quota. */
export function StrataTable({ strata, label = 'Strata', membersStay }: StrataTableProps) {
  const columns = useMemo(() => strataColumns(membersStay), [membersStay]);
  const totals = strata.reduce((t, s) => ({ size: t.size + s.size, control: t.control + s.control }), { size: 0, control: 0 });
  return (
    <div className="strata-table-box">
      <SortableTable
        label={label}
        rows={strata}
        columns={columns}
        rowKey={(s) => s.key}
        pageSize={25}
        initialSort={{ key: 'size', direction: 'desc' }}
        className="strata-table"
        testId="strata-table"
        rowClassName={(s) => (s.quota < 1 && s.size > 0 ? 'row-warning' : undefined)}
      />
      <p className="field-hint">
        {countOf(strata.length, 'stratum', 'strata')} · {countOf(totals.size, 'profile')} · {formatCount(totals.control)} in the LCG.{' '}
        {membersStay
          ? 'Quota is each stratum’s exact share of the LCG. Profiles already assigned keep their group, so the LCG counts can drift from the quotas; the deviation shows by how much.'
          : 'Quota is each stratum’s exact share of the LCG; the LCG count is that share rounded to whole profiles, so the two differ by less than one.'}
      </p>
    </div>
  );
}
