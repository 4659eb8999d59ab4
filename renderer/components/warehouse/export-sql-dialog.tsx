import { useEffect, useId, useMemo, useState } from 'react';
import type { Campaign, Field } from '../../../shared/contract/index';
import { SQL_DIALECT_LABELS, SQL_DIALECTS, TESTED_DIALECTS, type SqlDialect, type SqlKind } from '../../../shared/contract/warehouse';
import { listText } from '../../lib/text';
import { useActions } from '../../store/react';
import { defaultSqlForm, sqlArgsOf, stratificationFields, type SqlForm } from '../../store/warehouse/selectors';
import type { SqlAnswer } from '../../store/warehouse/slice';
import { TextField } from '../common/text-field';
import { Modal } from '../dialogs/modal';
import { CopyButton } from './copy-button';

/** Typing pauses this long before the preview asks the engine again. */
const PREVIEW_DELAY_MS = 250;

const KIND_LABELS: Readonly<Record<SqlKind, string>> = {
  split: 'First split of an audience',
  growth: 'Growth of an existing assignment',
};

const TESTED_NOTE = `${listText(TESTED_DIALECTS.map((d) => SQL_DIALECT_LABELS[d]))} are verified by the test suite: their query gives exactly the app’s groups. For the others, check the warehouse’s output against the app with Verify on the campaign.`;

/**
 * Export as SQL: the campaign's split (or its sticky growth) as one query for the
 * warehouse, with the audience table's names as the warehouse spells them, and a live
 * preview of exactly what Copy and Save… give.
 */
export function ExportSqlDialog({ campaign, fields, onClose }: { campaign: Campaign; fields: readonly Field[]; onClose: () => void }) {
  const strataFields = useMemo(() => stratificationFields(campaign.lcg, fields), [campaign.lcg, fields]);
  const [form, setForm] = useState<SqlForm>(() => defaultSqlForm(strataFields.map((f) => f.name)));
  const { campaignSql, saveCampaignSql } = useActions();
  /** The latest answer, with the arguments it answers (the form may have changed since). */
  const [answer, setAnswer] = useState<{ readonly key: string; readonly answer: SqlAnswer } | null>(null);
  const [saved, setSaved] = useState<SqlAnswer | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const { args, problems } = sqlArgsOf(campaign.id, form);
  const argsKey = args === null ? null : JSON.stringify(args);

  // The preview follows the form: the latest answer only (an older one that comes later is dropped).
  useEffect(() => {
    if (argsKey === null) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      void campaignSql(JSON.parse(argsKey)).then((next) => current && setAnswer({ key: argsKey, answer: next }));
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [argsKey, campaignSql]);

  const change = (patch: Partial<SqlForm>) => {
    setForm({ ...form, ...patch });
    setSaved(null);
  };
  /** The preview shows the query of the form as it is now (not one a moment old): Copy and Save… give exactly that. */
  const upToDate = answer !== null && answer.key === argsKey;
  const shown = answer?.answer ?? null;
  const save = async () => {
    if (!args || !upToDate || shown?.ok !== true) return;
    setSaving(true);
    try {
      const outcome = await saveCampaignSql(args, shown.sql.fileName);
      if (outcome) setSaved(outcome);
    } finally {
      setSaving(false);
    }
  };
  const sql = shown?.ok ? shown.sql.sql : null;
  const invalid = args === null;

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-note`} className="sql-dialog" onCancel={onClose}>
      <h2 id={`${id}-title`} className="modal-title">
        Export “{campaign.name}” as SQL
      </h2>
      <div className="sql-layout">
        <div className="sql-options">
          <label className="field">
            <span className="field-label">Dialect</span>
            <select value={form.dialect} data-autofocus onChange={(e) => change({ dialect: e.target.value as SqlDialect })}>
              {SQL_DIALECTS.map((d) => (
                <option key={d} value={d}>
                  {SQL_DIALECT_LABELS[d]}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="option-group">
            <legend>Query</legend>
            {(['split', 'growth'] as const).map((kind) => (
              <label key={kind} className="radio">
                <input type="radio" name={`${id}-kind`} checked={form.kind === kind} onChange={() => change({ kind })} />
                {KIND_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          <TextField label="Audience table" error={problems.table ?? null} value={form.table} spellCheck={false} onChange={(e) => change({ table: e.target.value })} />
          <TextField label="ID column" error={problems.idColumn ?? null} value={form.idColumn} spellCheck={false} onChange={(e) => change({ idColumn: e.target.value })} />
          {strataFields.map((f) => (
            <TextField
              key={f.id}
              label={`Column of “${f.name}”`}
              error={problems[`column:${f.name}`] ?? null}
              value={form.columns[f.name] ?? ''}
              spellCheck={false}
              onChange={(e) => change({ columns: { ...form.columns, [f.name]: e.target.value } })}
            />
          ))}
          {form.kind === 'growth' && (
            <TextField
              label="Assignment table (ID and group)"
              error={problems.assignmentTable ?? null}
              value={form.assignmentTable}
              spellCheck={false}
              onChange={(e) => change({ assignmentTable: e.target.value })}
            />
          )}
        </div>
        <div className="sql-preview-box">
          <span className="field-label" id={`${id}-preview-label`}>
            Preview
          </span>
          {/* Focusable so the query scrolls by keyboard; read-only: what Copy and Save… give. */}
          <pre className="sql-preview" tabIndex={0} role="region" aria-labelledby={`${id}-preview-label`} aria-busy={!upToDate} data-testid="sql-preview">
            {sql ?? (shown?.ok === false ? '' : 'Writing the query…')}
          </pre>
          {shown?.ok === false && (
            <p className="callout callout-error" role="alert" data-testid="sql-error">
              {shown.error}
            </p>
          )}
          {invalid && shown !== null && <p className="field-hint">Correct the names on the left; the preview shows the last valid query.</p>}
        </div>
      </div>
      <p id={`${id}-note`} className="field-hint">
        {TESTED_NOTE}
      </p>
      {saved && (
        <p className={`callout ${saved.ok ? 'callout-success' : 'callout-error'}`} role="status" data-testid="sql-saved">
          {saved.ok ? `Saved to ${saved.sql.path ?? saved.sql.fileName}.` : `Not saved: ${saved.error}`}
        </p>
      )}
      <div className="modal-actions">
        <CopyButton text={sql} label="Copy" disabled={!upToDate} />
        <button type="button" className="button button-plain" disabled={sql === null || !upToDate || saving} onClick={() => void save()}>
          Save…
        </button>
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
