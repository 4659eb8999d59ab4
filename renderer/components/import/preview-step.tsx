import type { ReactNode } from 'react';
import type { CsvOptions } from '../../../shared/contract/index';
import { CSV_ENCODINGS } from '../../../shared/contract/index';
import { formatBytes, formatCount } from '../../../shared/format';
import { DELIMITER_LABELS, DELIMITERS, type CsvDelimiter } from '../../store/export-dialog/selectors';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { useActions } from '../../store/react';
import { DATE_ORDER_LABELS, ENCODING_LABELS, LINE_ENDING_LABELS, type CsvEncoding } from './csv-labels';

/** Step 2: how the file reads (each detected setting can be changed) and its first rows. */
export function PreviewStep({ wizard }: { wizard: ImportWizardState }) {
  const { setCsvOption } = useActions();
  const preview = wizard.preview;
  if (!preview) return <p className="empty-note">Reading the file…</p>;
  const { options, detected } = preview;
  const mark = <K extends keyof CsvOptions>(key: K, value: CsvOptions[K]) => (detected[key] === value ? ' (detected)' : '');
  const dateValue = options.dateOrder ?? 'iso';

  return (
    <div className="wizard-step preview-step" aria-busy={wizard.previewLoading}>
      <dl className="facts preview-facts">
        <dt>File</dt>
        <dd>
          <strong>{preview.fileName}</strong> · {formatBytes(preview.sizeBytes)}
        </dd>
        <dt>Read so far</dt>
        <dd>
          {preview.wholeFileSampled
            ? `The whole file: ${formatCount(preview.sampledRows)} rows`
            : `The first ${formatCount(preview.sampledRows)} rows (the whole file is read on import)`}
        </dd>
        <dt>Line endings</dt>
        <dd>{LINE_ENDING_LABELS[preview.lineEnding]}</dd>
      </dl>

      <div className="csv-options" role="group" aria-label="How the file is read">
        <Select label="Encoding" value={options.encoding} onChange={(v) => void setCsvOption('encoding', v as CsvEncoding)}>
          {CSV_ENCODINGS.map((e) => (
            <option key={e} value={e}>
              {ENCODING_LABELS[e]}
              {e === options.encoding && preview.bom ? ', with BOM' : ''}
              {mark('encoding', e)}
            </option>
          ))}
        </Select>
        <Select label="Delimiter" value={options.delimiter} onChange={(v) => void setCsvOption('delimiter', v as CsvDelimiter)}>
          {DELIMITERS.map((d) => (
            <option key={d} value={d}>
              {DELIMITER_LABELS[d]}
              {mark('delimiter', d)}
            </option>
          ))}
        </Select>
        <Select label="Decimal separator" value={options.decimalSeparator} onChange={(v) => void setCsvOption('decimalSeparator', v === ',' ? ',' : '.')}>
          <option value=".">Point (12.5){mark('decimalSeparator', '.')}</option>
          <option value=",">Comma (12,5){mark('decimalSeparator', ',')}</option>
        </Select>
        <Select
          label="Dates"
          value={dateValue}
          onChange={(v) => void setCsvOption('dateOrder', v === 'dmy' || v === 'mdy' ? v : null)}
        >
          {(['dmy', 'mdy', 'iso'] as const).map((order) => (
            <option key={order} value={order}>
              {DATE_ORDER_LABELS[order]}
              {mark('dateOrder', order === 'iso' ? null : order)}
            </option>
          ))}
        </Select>
        <label className="checkbox">
          <input type="checkbox" checked={options.hasHeader} onChange={(e) => void setCsvOption('hasHeader', e.target.checked)} />
          The first row names the columns{detected.hasHeader === options.hasHeader ? ' (detected)' : ''}
        </label>
      </div>

      {preview.dateOrderAmbiguous && options.dateOrder === null && (
        <p className="callout callout-warning" role="status">
          Some dates (like 03/04/2024) could be day first or month first. Choose how to read them under “Dates”.
        </p>
      )}
      {preview.warnings.length > 0 && (
        <ul className="callout callout-warning warnings" aria-label="Warnings">
          {preview.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {wizard.fileError && (
        <p className="field-error" role="alert">
          {wizard.fileError}
        </p>
      )}

      {/* Scrolls both ways: focusable, so the keyboard can scroll it too. */}
      <div className="preview-grid-wrap" tabIndex={0} role="region" aria-label="The first rows of the file, scrollable">
        <table className="data-table preview-grid" aria-label="The first rows of the file">
          <thead>
            <tr>
              <th scope="col" className="numeric row-number">
                Row
              </th>
              {preview.columns.map((c) => (
                <th key={c.index} scope="col">
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, r) => (
              <tr key={r}>
                <td className="numeric row-number">{r + (options.hasHeader ? 2 : 1)}</td>
                {preview.columns.map((c) => (
                  <td key={c.index}>{row[c.index] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </label>
  );
}
