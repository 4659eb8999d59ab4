import { useState } from 'react';
import { MAX_SEGMENT_NAME, type Segment } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { selectDatabases } from '../../store/databases/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { SEGMENT_KIND_LABELS, segmentNameProblem, selectSegments, selectSegmentsLoaded, sourceLabel, usedByText } from '../../store/segments/selectors';
import { useFocusOnClose } from '../common/focus-on-close';
import { InlineNameEditor } from '../common/inline-name-editor';
import { SortableTable, type Column } from '../common/sortable-table';

/** Every segment of the project: database, how it was made, size and what uses it. */
export function SegmentsPage() {
  const segments = useApp(selectSegments);
  const loaded = useApp(selectSegmentsLoaded);
  const databases = useApp(selectDatabases);
  const { openSegmentDialog } = useActions();
  const [renaming, setRenaming] = useState<number | null>(null);
  const databaseName = (id: number) => databases.find((d) => d.id === id)?.name ?? '—';

  const columns: Column<Segment>[] = [
    {
      key: 'name',
      label: 'Name',
      sortValue: (s) => s.name,
      render: (s) => <SegmentName segment={s} renaming={renaming === s.id} onDone={() => setRenaming(null)} />,
    },
    { key: 'database', label: 'Database', sortValue: (s) => databaseName(s.databaseId), render: (s) => databaseName(s.databaseId) },
    { key: 'source', label: 'Made from', sortValue: (s) => madeFrom(s), render: (s) => <span className="cell-muted">{madeFrom(s)}</span> },
    { key: 'size', label: 'Profiles', numeric: true, sortValue: (s) => s.size, render: (s) => formatCount(s.size) },
    {
      key: 'usedBy',
      label: 'Used by',
      sortValue: (s) => s.usedBy.campaigns + s.usedBy.activities,
      render: (s) => <span className={s.usedBy.campaigns + s.usedBy.activities === 0 ? 'cell-muted' : undefined}>{usedByText(s)}</span>,
    },
    { key: 'created', label: 'Created', sortValue: (s) => s.createdClock, render: (s) => <span className="cell-muted">{formatClock(s.createdClock)}</span> },
    // Last but the actions: the columns before it keep their places.
    { key: 'kind', label: 'Type', sortValue: (s) => s.kind, render: (s) => SEGMENT_KIND_LABELS[s.kind] },
    { key: 'actions', label: 'Actions', hiddenLabel: true, className: 'cell-actions', render: (s) => <SegmentActions segment={s} renaming={renaming === s.id} onRename={() => setRenaming(s.id)} /> },
  ];

  return (
    <div className="page-stack">
      <div className="page-heading">
        <h2 className="page-title">Segments</h2>
        <button type="button" className="button button-primary" disabled={databases.length === 0} onClick={() => openSegmentDialog()}>
          New segment…
        </button>
      </div>
      <p className="section-note">
        A segment is a set of profiles of one database: static (a fixed list), updatable (a condition recalculated on a schedule) or dynamic
        (a condition evaluated at each use). Campaigns take their audience from one; an activity may narrow its recipients with another.
      </p>
      <section className="panel" aria-labelledby="segments-title">
        <h3 id="segments-title" className="panel-title">
          All segments
        </h3>
        {!loaded && <p className="empty-note">Loading…</p>}
        {loaded && segments.length === 0 && (
          <p className="empty-note">
            {databases.length === 0 ? 'Create a profile database first: a segment is made of its profiles.' : 'No segments yet. Make one with “New segment…” above.'}
          </p>
        )}
        {segments.length > 0 && (
          <SortableTable label="Segments" rows={segments} columns={columns} rowKey={(s) => s.id} initialSort={{ key: 'name', direction: 'asc' }} className="segments-table" />
        )}
      </section>
    </div>
  );
}

/** Static: how the list was made; updatable and dynamic: their condition. */
const madeFrom = (s: Segment): string => (s.kind === 'static' ? sourceLabel(s.source) : `Condition: ${s.where ?? '—'}`);

function SegmentName({ segment, renaming, onDone }: { segment: Segment; renaming: boolean; onDone: () => void }) {
  const { navigate, renameSegment } = useActions();
  const segments = useApp(selectSegments);
  if (renaming) {
    return (
      <InlineNameEditor
        label={`New name for ${segment.name}`}
        initial={segment.name}
        limit={MAX_SEGMENT_NAME}
        validate={(name) => segmentNameProblem(name, segments, segment.databaseId, segment.id)}
        onSave={(name) => renameSegment(segment.id, name)}
        onCancel={onDone}
      />
    );
  }
  return (
    <button type="button" className="link-button" title={segment.name} onClick={() => navigate({ page: 'segment', segmentId: segment.id })}>
      <span className="name-clamp">{segment.name}</span>
    </button>
  );
}

function SegmentActions({ segment, renaming, onRename }: { segment: Segment; renaming: boolean; onRename: () => void }) {
  const { deleteSegment } = useActions();
  const renameButton = useFocusOnClose<HTMLButtonElement>(renaming);
  const busy = useApp(selectIsBusy);
  return (
    <div className="row-actions" role="group" aria-label={`Actions for ${segment.name}`}>
      <button ref={renameButton} type="button" className="button button-plain button-small" onClick={onRename}>
        Rename
      </button>
      <button type="button" className="button button-danger button-small" disabled={busy} onClick={() => void deleteSegment(segment.id)}>
        Delete
      </button>
    </div>
  );
}
