import { useState } from 'react';
import type { CampaignDetail, Field, SplitVersion } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { lcgSummary, VERSION_REASON_LABELS } from '../../store/campaigns/selectors';
import { formatInstant } from '../../store/start/selectors';
import { countOf } from '../../lib/text';
import { HistoryChart } from '../charts/history-chart';
import { SortableTable, type Column } from '../common/sortable-table';
import { StrataTable } from './strata-table';

/** Every build of the split, kept as a version: when, why, how large, who joined and left, and the strata then. */
export function HistoryPanel({ detail, fields }: { detail: CampaignDetail; fields: readonly Field[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const fieldName = (id: number) => fields.find((f) => f.id === id)?.name ?? `field ${id}`;
  const versions = detail.versions;
  if (versions.length === 0) {
    return <p className="empty-note">No builds yet. Each build of the split (activation, new profiles, an LCG change, additions) is kept here.</p>;
  }
  const numbered = new Map([...versions].sort((a, b) => a.id - b.id).map((v, i) => [v.id, i + 1]));
  const columns: Column<SplitVersion>[] = [
    {
      key: 'n',
      label: 'Version',
      sortValue: (v) => v.id,
      render: (v) => (
        <button type="button" className="link-button expander" aria-expanded={open === v.id} onClick={() => setOpen(open === v.id ? null : v.id)}>
          <span className="expander-mark" aria-hidden="true">
            {open === v.id ? '▾' : '▸'}
          </span>
          #{numbered.get(v.id)}
        </button>
      ),
    },
    { key: 'clock', label: 'Project clock', sortValue: (v) => v.clock, render: (v) => formatClock(v.clock) },
    { key: 'reason', label: 'Reason', sortValue: (v) => v.reason, render: (v) => VERSION_REASON_LABELS[v.reason] },
    { key: 'audience', label: 'Audience', numeric: true, sortValue: (v) => v.audience, render: (v) => formatCount(v.audience) },
    { key: 'control', label: 'LCG target', numeric: true, sortValue: (v) => v.controlTotal, render: (v) => formatCount(v.controlTotal) },
    { key: 'joined', label: 'Joined', numeric: true, sortValue: (v) => v.joined, render: (v) => formatCount(v.joined) },
    { key: 'left', label: 'Left', numeric: true, sortValue: (v) => v.left, render: (v) => formatCount(v.left) },
    {
      key: 'shortfall',
      label: 'Shortfall',
      numeric: true,
      sortValue: (v) => v.shortfall,
      render: (v) => <span className={v.shortfall > 0 ? 'cell-warning' : 'cell-muted'}>{formatCount(v.shortfall)}</span>,
    },
    {
      key: 'surplus',
      label: 'Surplus',
      numeric: true,
      sortValue: (v) => v.surplus,
      render: (v) => <span className={v.surplus > 0 ? 'cell-warning' : 'cell-muted'}>{formatCount(v.surplus)}</span>,
    },
    { key: 'warning', label: 'Violation', render: (v) => (v.warning ? <span className="badge badge-warning">{countOf(v.warning.strata.length, 'stratum', 'strata')}</span> : '') },
  ];
  return (
    <div className="history-panel">
      {versions.length > 1 && (
        <section className="panel" aria-label="Audience and LCG by version">
          <HistoryChart versions={versions} />
        </section>
      )}
      <section className="panel" aria-labelledby="history-title">
        <h3 id="history-title" className="panel-title">
          Versions of the split
        </h3>
        <SortableTable
          label="Split versions"
          rows={versions}
          columns={columns}
          rowKey={(v) => v.id}
          initialSort={{ key: 'n', direction: 'desc' }}
          pageSize={20}
          renderDetail={(v) =>
            open === v.id ? (
              <div className="version-detail">
                <dl className="facts">
                  <dt>Built</dt>
                  <dd>{formatInstant(v.builtAt)}</dd>
                  <dt>LCG settings</dt>
                  <dd>{lcgSummary(v.lcg, fieldName)}</dd>
                  <dt>Seed</dt>
                  <dd className="cell-id">{v.seed}</dd>
                  {v.warning && (
                    <>
                      <dt>Violation</dt>
                      <dd className="cell-warning">{v.warning.message}</dd>
                    </>
                  )}
                </dl>
                {v.strata.length > 0 && <StrataTable strata={v.strata} label={`Strata of version ${numbered.get(v.id)}`} membersStay={numbered.get(v.id) !== 1} />}
              </div>
            ) : null
          }
        />
        <p className="field-hint">
          LCG target: the LCG size the settings ask for. Shortfall: places in the LCG that new profiles could not fill. Surplus: LCG
          members above the target after profiles left. Profiles keep the group they were first given, so neither is fixed by moving
          anybody.
        </p>
      </section>
    </div>
  );
}
