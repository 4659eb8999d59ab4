import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/profiles';
import { fileNameOf, formatBytes, formatCount } from '../../../shared/format';
import { subscriptionLabel } from '../../lib/format-value';
import { countOf } from '../../lib/text';
import { selectDatabaseDetail } from '../../store/databases/selectors';
import {
  DELIMITER_LABELS,
  DELIMITERS,
  exportFieldIds,
  exportTitle,
  groupColumnText,
  limitProblem,
  selectExportDialog,
  type CsvDelimiter,
} from '../../store/export-dialog/selectors';
import type { ExportDialogState } from '../../store/export-dialog/slice';
import { formatDuration, selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp, useAppShallow } from '../../store/react';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { InlineProgress } from '../feedback/inline-progress';
import { FINGERPRINT_HELP } from '../warehouse/split-fingerprint';

const selectExportOperation = selectOperationOf('export/profiles');

/**
 * Export profiles to CSV: a database's, or a segment's, its GCG, a campaign's group or a
 * run's recipients; which fields and statuses, how many, how written, and where.
 */
export function ExportDialog() {
  const dialog = useApp(selectExportDialog);
  const { closeExportDialog } = useActions();
  if (!dialog) return null;
  return (
    <Modal labelledBy="export-title" className="export-dialog" onCancel={() => closeExportDialog()}>
      <ExportDialogBody dialog={dialog} />
    </Modal>
  );
}

function ExportDialogBody({ dialog }: { dialog: ExportDialogState }) {
  const actions = useActions();
  const detail = useApp(selectDatabaseDetail(dialog.databaseId));
  const chosen = useAppShallow(exportFieldIds);
  const op = useApp(selectExportOperation);
  const limitError = limitProblem(dialog.limitText);
  const running = dialog.phase === 'running';
  const fields = detail?.fields ?? [];
  // The database's counts say nothing of a segment's or a group's statuses.
  const wholeDatabase = dialog.scope.kind === 'database';
  const statusCount = (status: (typeof SUBSCRIPTION_STATUSES)[number]) => detail?.subscriptionCounts[status] ?? 0;
  const title = exportTitle(dialog, detail?.name ?? null);

  if (dialog.phase === 'done' && dialog.result) {
    const { result } = dialog;
    return (
      <>
        <h2 id="export-title" className="modal-title">
          {title}
        </h2>
        <p className="callout callout-success" role="status" data-testid="export-outcome">
          Exported {countOf(result.rows, 'profile')} ({formatBytes(result.bytes)}) to <strong>{fileNameOf(result.path)}</strong> in{' '}
          {formatDuration(result.durationMs / 1000)}.
        </p>
        <p className="fact-path">{result.path}</p>
        {result.fingerprint !== undefined && (
          <p data-testid="export-fingerprint">
            <span title={FINGERPRINT_HELP}>Split fingerprint</span> <code className="fingerprint-value">{result.fingerprint}</code> (the whole split, whichever group was
            written: compare it with a colleague’s)
          </p>
        )}
        <div className="modal-actions">
          {/* The form's buttons went away with the form: the focus moves here, not to the page. */}
          <button type="button" className="button button-primary" autoFocus onClick={() => actions.closeExportDialog()}>
            Close
          </button>
        </div>
      </>
    );
  }

  return (
    <form
      className="export-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void actions.runExport();
      }}
    >
      <h2 id="export-title" className="modal-title">
        {title}
      </h2>
      {dialog.campaignId !== null && <GroupChoice campaignId={dialog.campaignId} dialog={dialog} disabled={running} />}
      <fieldset className="option-group" disabled={running}>
        <legend>Columns</legend>
        <p className="field-hint">
          The profile ID and the subscription status are always written first
          {groupColumnText(dialog) === null ? '' : `, then a group column (${groupColumnText(dialog)})`}.
        </p>
        {fields.length === 0 ? (
          <p className="empty-note">The database has no other fields.</p>
        ) : (
          <>
            <div className="inline-actions">
              <button type="button" className="button button-plain button-small" onClick={() => actions.setExportFields(fields.map((f) => f.id))}>
                All
              </button>
              <button type="button" className="button button-plain button-small" onClick={() => actions.setExportFields([])}>
                None
              </button>
            </div>
            <div className="checkbox-grid">
              {fields.map((f) => (
                <label key={f.id} className="checkbox">
                  <input type="checkbox" checked={chosen.includes(f.id)} onChange={() => actions.toggleExportField(f.id)} />
                  {f.name}
                </label>
              ))}
            </div>
          </>
        )}
      </fieldset>
      <fieldset className="option-group" disabled={running}>
        <legend>Subscription status</legend>
        <div className="checkbox-grid">
          {SUBSCRIPTION_STATUSES.map((status) => (
            <label key={status} className="checkbox">
              <input type="checkbox" checked={dialog.statuses.includes(status)} onChange={() => actions.toggleExportStatus(status)} />
              {subscriptionLabel(status)}
              {wholeDatabase && <span className="cell-muted"> ({formatCount(statusCount(status))})</span>}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form-row" role="group" aria-label="File format">
        <TextField
          label="Row limit"
          error={limitError}
          inputMode="numeric"
          value={dialog.limitText}
          placeholder="All rows"
          disabled={running}
          onChange={(e) => actions.setExportLimit(e.target.value)}
        />
        <label className="field">
          <span className="field-label">Delimiter</span>
          <select value={dialog.delimiter} disabled={running} onChange={(e) => actions.setExportDelimiter(e.target.value as CsvDelimiter)}>
            {DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {DELIMITER_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={dialog.bom} disabled={running} onChange={(e) => actions.setExportBom(e.target.checked)} />
        Add a byte order mark (for Excel)
      </label>
      <div className="export-destination">
        <span className="field-label">Save to</span>
        <span className={dialog.path ? 'fact-path' : 'cell-muted'} data-testid="export-path">
          {dialog.path ?? 'Not chosen yet'}
        </span>
        <button type="button" className="button button-plain button-small" disabled={running} onClick={() => void actions.chooseExportPath()}>
          Choose…
        </button>
      </div>
      {running && <InlineProgress op={op} />}
      {dialog.cancelled && (
        <p className="callout callout-info" role="status">
          The export was cancelled; no file was written.
        </p>
      )}
      {dialog.error && (
        <p className="field-error" role="alert">
          {dialog.error}
        </p>
      )}
      <div className="modal-actions">
        {running ? (
          <button type="button" className="button button-plain" onClick={() => void actions.cancelExport()}>
            Cancel export
          </button>
        ) : (
          <>
            <button type="button" className="button button-plain" onClick={() => actions.closeExportDialog()}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={limitError !== null || dialog.statuses.length === 0}>
              Export
            </button>
          </>
        )}
      </div>
    </form>
  );
}

/** A campaign's groups, the GCG members of its segment, or its database's whole GCG: one file each. */
function GroupChoice({ campaignId, dialog, disabled }: { campaignId: number; dialog: ExportDialogState; disabled: boolean }) {
  const { setExportScope } = useActions();
  const value = dialog.scope.kind === 'campaign' ? dialog.scope.group : 'database-gcg';
  return (
    <label className="field">
      <span className="field-label">Group</span>
      <select
        value={value}
        disabled={disabled}
        onChange={(e) => {
          const group = e.target.value;
          setExportScope(group === 'database-gcg' ? { kind: 'gcg' } : { kind: 'campaign', campaignId, group: group as 'test' | 'control' | 'gcg' | 'all' });
        }}
      >
        <option value="test">Test</option>
        <option value="control">LCG (local control group)</option>
        <option value="all">Test and LCG</option>
        <option value="gcg">GCG members of its audience (held out by the global control group)</option>
        <option value="database-gcg">GCG of the whole database</option>
      </select>
    </label>
  );
}
