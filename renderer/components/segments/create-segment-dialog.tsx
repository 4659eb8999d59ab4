import { MAX_SEGMENT_NAME, type SegmentKind } from '../../../shared/contract/index';
import type { FormEvent } from 'react';
import { fileNameOf, formatBytes, formatClock, formatCount } from '../../../shared/format';
import { selectDatabaseDetail, selectDatabases } from '../../store/databases/selectors';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { SEGMENT_KIND_LABELS, segmentDialogProblem, segmentNameProblem, selectSegmentDialog, selectSegments } from '../../store/segments/selectors';
import type { SegmentDialogState, SegmentFrom } from '../../store/segments/slice';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { InlineProgress } from '../feedback/inline-progress';
import { ConditionEditor } from '../conditions/condition-editor';
import { ScheduleEditor } from './schedule-editor';

const selectCreateOperation = selectOperationOf('segment/create');

const SEGMENT_KIND_HINTS: Readonly<Record<SegmentKind, string>> = {
  static: 'a fixed list of profiles, changed only by hand',
  updatable: 'a condition recalculated on a schedule; never edited by hand',
  dynamic: 'a condition evaluated anew at each use',
};

/** The dialog's segment needs a condition: updatable, dynamic, or static from a condition once. */
const needsCondition = (dialog: SegmentDialogState): boolean => dialog.type !== 'static' || dialog.from === 'condition';

/** New segment: a database, a name, its type, and what it is made of (a list, or a condition and for updatable ones a schedule). */
export function CreateSegmentDialog() {
  const dialog = useApp(selectSegmentDialog);
  const { closeSegmentDialog } = useActions();
  if (!dialog) return null;
  return (
    <Modal labelledBy="segment-dialog-title" className={`segment-dialog${needsCondition(dialog) ? ' segment-condition-dialog' : ''}`} onCancel={() => closeSegmentDialog()}>
      <SegmentForm dialog={dialog} />
    </Modal>
  );
}

function SegmentForm({ dialog }: { dialog: SegmentDialogState }) {
  const actions = useActions();
  const databases = useApp(selectDatabases);
  const segments = useApp(selectSegments);
  const problem = useApp(segmentDialogProblem);
  const op = useApp(selectCreateOperation);
  const nameProblem = dialog.name === '' ? null : segmentNameProblem(dialog.name, segments, dialog.databaseId);
  const { running } = dialog;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void actions.createSegmentFromDialog();
  };

  return (
    <form className="segment-form" onSubmit={onSubmit} noValidate>
      <h2 id="segment-dialog-title" className="modal-title">
        New segment
      </h2>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Database</span>
          <select
            value={dialog.databaseId === null ? '' : String(dialog.databaseId)}
            disabled={running}
            onChange={(e) => actions.setSegmentDraft({ databaseId: e.target.value === '' ? null : Number(e.target.value) })}
          >
            {dialog.databaseId === null && <option value="">Choose a database…</option>}
            {databases.map((db) => (
              <option key={db.id} value={String(db.id)}>
                {db.name} ({formatCount(db.profileCount)} profiles)
              </option>
            ))}
          </select>
        </label>
        <TextField
          label="Segment name"
          error={nameProblem}
          value={dialog.name}
          limit={MAX_SEGMENT_NAME}
          disabled={running}
          data-autofocus=""
          placeholder="Spring newsletter"
          onChange={(e) => actions.setSegmentDraft({ name: e.target.value })}
        />
      </div>
      <fieldset className="option-group" disabled={running}>
        <legend>Type</legend>
        {(Object.keys(SEGMENT_KIND_HINTS) as SegmentKind[]).map((kind) => (
          <label key={kind} className="radio">
            <input type="radio" name="segment-type" checked={dialog.type === kind} onChange={() => actions.setSegmentDraft({ type: kind })} />
            <span>
              <strong>{SEGMENT_KIND_LABELS[kind]}</strong>: {SEGMENT_KIND_HINTS[kind]}
            </span>
          </label>
        ))}
      </fieldset>
      {dialog.type === 'static' && <StaticSources dialog={dialog} />}
      {needsCondition(dialog) && (dialog.databaseId === null ? <p className="field-hint">Choose a database to build the condition on its fields.</p> : <ConditionEditor />)}
      {dialog.type === 'updatable' && <ScheduleEditor draft={dialog.schedule} disabled={running} onChange={(schedule) => actions.setSegmentDraft({ schedule })} />}
      {running && <InlineProgress op={op} />}
      {dialog.error && (
        <p className="field-error" role="alert">
          {dialog.error}
        </p>
      )}
      <div className="modal-actions">
        {running ? (
          <button type="button" className="button button-plain" disabled={!op || op.cancelling} onClick={() => op && void actions.cancelOperation(op.id)}>
            Cancel
          </button>
        ) : (
          <>
            <button type="button" className="button button-plain" onClick={() => actions.closeSegmentDialog()}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={problem !== null || dialog.upload !== null}>
              Create segment
            </button>
          </>
        )}
      </div>
    </form>
  );
}

/** What a static segment is made of: all, an import, a CSV list, nothing yet, or a condition once. */
function StaticSources({ dialog }: { dialog: SegmentDialogState }) {
  const actions = useActions();
  const databases = useApp(selectDatabases);
  const detail = useApp(selectDatabaseDetail(dialog.databaseId ?? 0));
  const database = databases.find((d) => d.id === dialog.databaseId) ?? null;
  const imports = detail?.imports ?? [];
  const choose = (from: SegmentFrom) => actions.setSegmentDraft({ from });
  return (
    <fieldset className="option-group" disabled={dialog.running}>
      <legend>Made from</legend>
      <label className="radio">
        <input type="radio" name="segment-from" checked={dialog.from === 'all'} onChange={() => choose('all')} />
        All profiles of the database{database ? ` (${formatCount(database.profileCount)})` : ''}
      </label>
      <label className="radio">
        <input type="radio" name="segment-from" checked={dialog.from === 'import'} disabled={imports.length === 0} onChange={() => choose('import')} />
        The profiles of one import{imports.length === 0 ? ' (the database has no imports)' : ''}
      </label>
      {dialog.from === 'import' && (
        <label className="field field-indent">
          <span className="field-label">Import</span>
          <select
            value={dialog.importId === null ? '' : String(dialog.importId)}
            onChange={(e) => actions.setSegmentDraft({ importId: e.target.value === '' ? null : Number(e.target.value) })}
          >
            <option value="">Choose an import…</option>
            {imports.map((imp) => (
              <option key={imp.id} value={String(imp.id)}>
                {imp.fileName} · {formatClock(imp.clock)} · {formatCount(imp.added)} added, {formatCount(imp.updated)} updated
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="radio">
        <input type="radio" name="segment-from" checked={dialog.from === 'csv'} onChange={() => choose('csv')} />A CSV file of profile IDs
      </label>
      {dialog.from === 'csv' && (
        <div className="field-indent csv-choice">
          {dialog.upload ? (
            <>
              <span>
                Handing over <strong>{dialog.upload.fileName}</strong>… {formatBytes(dialog.upload.loaded)} of {formatBytes(dialog.upload.total)}
              </span>
              <progress aria-label={`Handing over ${dialog.upload.fileName}`} max={Math.max(1, dialog.upload.total)} value={dialog.upload.loaded} />
            </>
          ) : (
            <>
              <span className={dialog.csvPath ? 'fact-path' : 'cell-muted'} data-testid="segment-csv-path" title={dialog.csvPath ?? undefined}>
                {dialog.csvPath ? fileNameOf(dialog.csvPath) : 'No file chosen: choose one, or drop it on the window'}
              </span>
              <button type="button" className="button button-plain button-small" onClick={() => void actions.chooseSegmentCsv()}>
                Choose file…
              </button>
            </>
          )}
          <p className="field-hint">The ID column is found by its header (or the first column); IDs not in the database are listed afterwards.</p>
        </div>
      )}
      <label className="radio">
        <input type="radio" name="segment-from" checked={dialog.from === 'empty'} onChange={() => choose('empty')} />
        Nothing yet: add profiles by hand on the segment's page
      </label>
      <label className="radio">
        <input type="radio" name="segment-from" checked={dialog.from === 'condition'} onChange={() => choose('condition')} />
        From a condition, once: the profiles it gives on the project clock now
      </label>
    </fieldset>
  );
}
