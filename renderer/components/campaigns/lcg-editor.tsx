import type { Field } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { MAX_STRATA_FIELDS } from '../../../shared/split/stratum-scheme';
import {
  newStratum,
  previewControlTotal,
  lcgFromDraft,
  problemSummary,
  type LcgDraft,
  type LcgDraftProblems,
  type StratumDraft,
} from '../../store/campaigns/lcg-draft';
import { shareText } from '../../store/campaigns/selectors';
import { TextField } from '../common/text-field';
import { StratumEditor } from './stratum-editor';

interface LcgEditorProps {
  readonly draft: LcgDraft;
  readonly onChange: (draft: LcgDraft) => void;
  readonly fields: readonly Field[];
  readonly problems: LcgDraftProblems;
  /** Profiles the LCG is taken from, for the live size; null when not known. */
  readonly audience: number | null;
  readonly audienceNote?: string;
  readonly disabled?: boolean;
}

/** The LCG: a percentage (two decimals), an exact limit, or both; and stratification fields. */
export function LcgEditor({ draft, onChange, fields, problems, audience, audienceNote, disabled = false }: LcgEditorProps) {
  const { lcg } = lcgFromDraft(draft, fields);
  const total = audience === null ? null : previewControlTotal(lcg, audience);
  const used = new Set(draft.strata.map((s) => s.fieldId));
  const available = fields.filter((f) => !used.has(f.id));
  const setStratum = (index: number, next: StratumDraft | null) => {
    const strata = draft.strata.flatMap((s, i) => (i === index ? (next ? [next] : []) : [s]));
    onChange({ ...draft, strata });
  };

  return (
    <fieldset className="lcg-editor" disabled={disabled}>
      <legend className="visually-hidden">Local control group</legend>
      <div className="lcg-size">
        <TextField
          label="LCG share, %"
          error={problems.percent}
          value={draft.percentText}
          inputMode="decimal"
          placeholder="None"
          className="field-narrow"
          onChange={(e) => onChange({ ...draft, percentText: e.target.value })}
        />
        <TextField
          label="Audience limit"
          error={problems.limit}
          value={draft.limitText}
          inputMode="numeric"
          placeholder="No limit"
          className="field-narrow"
          onChange={(e) => onChange({ ...draft, limitText: e.target.value })}
        />
        <div className="lcg-preview" role="status" data-testid="lcg-preview">
          {lcg === null ? (
            // The share and the limit say their own problem just beside; a problem further down is named here.
            problems.percent || problems.limit ? (
              <span className="cell-muted">The LCG size shows once the share and the limit are valid.</span>
            ) : (
              <span className="field-error">{problemSummary(problems, draft, fields)}</span>
            )
          ) : lcg.percent === null && lcg.limit === null ? (
            <span className="cell-muted">No LCG: everybody is in Test.</span>
          ) : audience === null || total === null ? (
            <span className="cell-muted">The LCG size shows once the audience is known.</span>
          ) : (
            <>
              LCG <strong>{formatCount(total)}</strong> of {formatCount(audience)} ({shareText(total, audience)})
              {audienceNote && <span className="cell-muted"> · {audienceNote}</span>}
            </>
          )}
        </div>
      </div>
      <p className="field-hint">
        The share is rounded to the nearest whole profile (a half rounds up). With both a share and a limit, the LCG is the smaller of the
        two.
      </p>
      <div className="strata-rules">
        <div className="strata-heading">
          <span className="field-label">Stratification</span>
          {draft.strata.length === 0 && <span className="field-hint">None: the LCG is drawn from the whole audience.</span>}
        </div>
        {draft.strata.map((s, i) => {
          const field = fields.find((f) => f.id === s.fieldId);
          return field ? (
            <StratumEditor key={s.fieldId} field={field} draft={s} problem={problems.strata[i] ?? null} onChange={(next) => setStratum(i, next)} />
          ) : null;
        })}
        {draft.strata.length < MAX_STRATA_FIELDS && available.length > 0 && (
          <label className="field field-inline add-stratum">
            <span className="field-label">Stratify by</span>
            <select
              value=""
              aria-label="Add a stratification field"
              onChange={(e) => {
                const field = fields.find((f) => f.id === Number(e.target.value));
                if (field) onChange({ ...draft, strata: [...draft.strata, newStratum(field)] });
              }}
            >
              <option value="">Add a field…</option>
              {available.map((f) => (
                <option key={f.id} value={String(f.id)}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {problems.general && (
          <p className="field-error" role="alert">
            {problems.general}
          </p>
        )}
      </div>
    </fieldset>
  );
}
