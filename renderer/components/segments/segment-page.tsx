import { useEffect, useId, useRef, useState } from 'react';
import { MAX_SEGMENT_NAME, type MembershipChange } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { selectDatabaseSummary } from '../../store/databases/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import {
  idListProblem,
  membershipEditCheck,
  parseProfileIds,
  SEGMENT_KIND_LABELS,
  segmentNameProblem,
  selectSegment,
  selectSegments,
  selectSegmentsLoaded,
  sourceLabel,
  usedByText,
} from '../../store/segments/selectors';
import { CheckedButton } from '../common/checked-button';
import { useFocusOnClose } from '../common/focus-on-close';
import { TabBar } from '../common/tab-bar';
import { RecalcStatus, SegmentDefinition, SegmentHistory } from './segment-definition';
import { InlineNameEditor } from '../common/inline-name-editor';
import { MembershipResult } from './membership-result';
import { ProfileBrowser } from '../profiles/profile-browser';

/** One segment: what it is, its members, and profiles added or removed by pasting their IDs. */
export function SegmentPage({ segmentId }: { segmentId: number }) {
  const segment = useApp(selectSegment(segmentId));
  const loaded = useApp(selectSegmentsLoaded);
  const segments = useApp(selectSegments);
  const database = useApp(selectDatabaseSummary(segment?.databaseId ?? 0));
  const busy = useApp(selectIsBusy);
  const created = useApp((s) => s.segmentCreated);
  const { renameSegment, deleteSegment, openExportDialog, navigate, loadDatabases, dismissSegmentCreated, recalculateSegment } = useActions();
  const recalculating = useApp((s) => s.segmentRecalc?.running === true);
  const [refused, setRefused] = useState<string | null>(null);
  const [tab, setTab] = useState<'members' | 'history'>('members');
  // An updatable segment's members as of one past recalculation (its number); null: the current ones.
  const [viewing, setViewing] = useState<number | null>(null);
  const [renaming, setRenaming] = useState(false);
  const renameButton = useFocusOnClose<HTMLButtonElement>(renaming);
  const [editing, setEditing] = useState(false);
  const editToggle = useRef<HTMLButtonElement>(null);
  // Closing the panel removes the control that had the focus: it goes back to the button that opened it.
  const closeEditing = () => {
    setEditing(false);
    editToggle.current?.focus();
  };

  useEffect(() => {
    if (!database) void loadDatabases();
  }, [database, loadDatabases]);

  if (!segment) {
    return (
      <div className="page-stack">
        <p className="empty-note">{loaded ? 'This segment no longer exists.' : 'Loading…'}</p>
        {loaded && (
          <button type="button" className="button button-plain" onClick={() => navigate({ page: 'segments' })}>
            All segments
          </button>
        )}
      </div>
    );
  }

  return (
    <div className="detail-page">
      <header className="detail-header">
        <div className="detail-heading">
          <p className="breadcrumb">
            <button type="button" className="link-button" onClick={() => navigate({ page: 'segments' })}>
              Segments
            </button>
            <span aria-hidden="true"> ›</span>
          </p>
          {renaming ? (
            <InlineNameEditor
              label="Segment name"
              initial={segment.name}
              limit={MAX_SEGMENT_NAME}
              validate={(n) => segmentNameProblem(n, segments, segment.databaseId, segment.id)}
              onSave={(n) => renameSegment(segment.id, n)}
              onCancel={() => setRenaming(false)}
            />
          ) : (
            <h2 className="page-title detail-title" title={segment.name}>
              {segment.name}
            </h2>
          )}
          <p className="detail-facts" data-testid="segment-facts">
            <strong>{countOf(segment.size, 'profile')}</strong>
            {' · '}
            {database?.name ?? 'Database'} · {segment.kind === 'static' ? `${sourceLabel(segment.source)} · ` : ''}
            <span data-testid="segment-kind">{SEGMENT_KIND_LABELS[segment.kind].toLowerCase()}</span> ·{' '}
            <span className="cell-nowrap">created {formatClock(segment.createdClock)}</span> ·{' '}
            {segment.usedBy.campaigns + segment.usedBy.activities === 0 ? 'not used by any campaign' : `used by ${usedByText(segment).toLowerCase()}`}
          </p>
        </div>
        <div className="detail-actions" role="toolbar" aria-label="Segment">
          {segment.kind === 'updatable' && (
            <button type="button" className="button button-primary" disabled={busy || recalculating} onClick={() => void recalculateSegment(segment.id)}>
              Recalculate now
            </button>
          )}
          {segment.kind === 'static' ? (
            <button ref={editToggle} type="button" className="button button-primary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              Add or remove profiles…
            </button>
          ) : (
            <CheckedButton label="Add or remove profiles…" check={membershipEditCheck(segment)} onClick={() => undefined} onRefused={setRefused} />
          )}
          <button
            type="button"
            className="button button-plain"
            disabled={busy || segment.size === 0}
            onClick={() => openExportDialog(segment.databaseId, { scope: { kind: 'segment', segmentId: segment.id }, subject: segment.name })}
          >
            Export CSV…
          </button>
          <button ref={renameButton} type="button" className="button button-plain" disabled={renaming} onClick={() => setRenaming(true)}>
            Rename
          </button>
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void deleteSegment(segment.id)}>
            Delete
          </button>
        </div>
      </header>
      {refused && (
        <p className="field-error" role="alert">
          {refused}
        </p>
      )}
      {segment.kind !== 'static' && <SegmentDefinition segment={segment} />}
      <RecalcStatus segmentId={segment.id} />
      {created?.segmentId === segment.id && created.change.notFoundCount > 0 && (
        <section className="panel membership-panel" aria-labelledby="created-title">
          <div className="panel-heading">
            <h3 id="created-title" className="panel-title">
              Made from {sourceLabel(segment.source)}
            </h3>
            <button type="button" className="icon-button" aria-label="Close" onClick={dismissSegmentCreated}>
              ×
            </button>
          </div>
          <MembershipResult verb="created" change={created.change} />
        </section>
      )}
      {editing && segment.kind === 'static' && <MembershipForm segmentId={segment.id} onClose={closeEditing} />}
      {segment.kind === 'updatable' && (
        <TabBar idPrefix="segment" label="Segment" tabs={['members', 'history'] as const} current={tab} labels={{ members: 'Members', history: 'History' }} onSelect={setTab} />
      )}
      {tab === 'history' && segment.kind === 'updatable' ? (
        <div id="segment-panel-history" role="tabpanel" aria-labelledby="segment-tab-history" className="segment-panel segment-history-panel">
          <SegmentHistory segment={segment} viewing={viewing} onView={setViewing} />
          {viewing !== null && (
            <ProfileBrowser
              databaseId={segment.databaseId}
              source={{ kind: 'segment', segmentId: segment.id, recalculation: viewing }}
              label={`Members as of recalculation ${viewing}`}
              emptyText="Nobody was in the segment after this recalculation."
            />
          )}
        </div>
      ) : (
        // The member table is virtual: it needs a bounded height, so its panel fills the page's rest (flex), as the page did before.
        <div
          id="segment-panel-members"
          className="segment-panel"
          role={segment.kind === 'updatable' ? 'tabpanel' : undefined}
          aria-labelledby={segment.kind === 'updatable' ? 'segment-tab-members' : undefined}
        >
          <ProfileBrowser
            databaseId={segment.databaseId}
            source={{ kind: 'segment', segmentId: segment.id }}
            label="Segment members"
            emptyText={segment.kind === 'static' ? 'The segment has no profiles yet. Add some with Add or remove profiles…' : 'No profile matches the condition now.'}
          />
        </div>
      )}
    </div>
  );
}

function MembershipForm({ segmentId, onClose }: { segmentId: number; onClose: () => void }) {
  const { addSegmentProfiles, removeSegmentProfiles } = useActions();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ verb: 'added' | 'removed'; change: MembershipChange } | null>(null);
  const [working, setWorking] = useState(false);
  const errorId = useId();
  const idsField = useRef<HTMLTextAreaElement>(null);
  const ids = parseProfileIds(text);
  const problem = text.trim() === '' ? null : idListProblem(ids);

  const run = async (verb: 'added' | 'removed') => {
    if (idListProblem(ids) !== null || working) return;
    setWorking(true);
    const change = verb === 'added' ? await addSegmentProfiles(segmentId, ids) : await removeSegmentProfiles(segmentId, ids);
    setWorking(false);
    if (change) {
      setResult({ verb, change });
      setText('');
    }
    // The buttons are disabled now (no IDs, or while working): the focus goes back to the list for the next IDs.
    idsField.current?.focus();
  };

  return (
    <section
      className="panel membership-panel"
      aria-labelledby="membership-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="panel-heading">
        <h3 id="membership-title" className="panel-title">
          Add or remove profiles
        </h3>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="membership-body">
        <div className="field membership-ids">
          <label className="field-label" htmlFor={`${errorId}-ids`}>
            Profile IDs, one per line
          </label>
          <textarea
            id={`${errorId}-ids`}
            ref={idsField}
            rows={5}
            value={text}
            autoFocus
            spellCheck={false}
            aria-invalid={problem !== null}
            aria-describedby={problem ? errorId : undefined}
            placeholder={'0000123\n0000456'}
            onChange={(e) => setText(e.target.value)}
          />
          {problem ? (
            <span id={errorId} className="field-error">
              {problem}
            </span>
          ) : (
            <span className="field-hint">{ids.length > 0 ? countOf(ids.length, 'ID') : 'Paste from a spreadsheet or a text file.'}</span>
          )}
        </div>
        <div className="membership-buttons">
          <button type="button" className="button button-primary" disabled={ids.length === 0 || problem !== null || working} onClick={() => void run('added')}>
            Add to the segment
          </button>
          <button type="button" className="button button-plain" disabled={ids.length === 0 || problem !== null || working} onClick={() => void run('removed')}>
            Remove from the segment
          </button>
        </div>
        {result && <MembershipResult verb={result.verb} change={result.change} />}
      </div>
    </section>
  );
}
