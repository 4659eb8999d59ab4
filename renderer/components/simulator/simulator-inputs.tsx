import { useId } from 'react';
import type { Field } from '../../../shared/contract/index';
import { FIELD_TYPE_LABELS } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import { selectCampaigns } from '../../store/campaigns/selectors';
import { useActions, useApp } from '../../store/react';
import { selectSegments } from '../../store/segments/selectors';
import { covariateFields, metricFields, type SettingsReading, type SimulatorForm, type SourceReading } from '../../store/simulator/form';
import { LcgEditor } from '../campaigns/lcg-editor';
import { TextField } from '../common/text-field';

interface InputsProps {
  readonly form: SimulatorForm;
  readonly fields: readonly Field[];
  readonly source: SourceReading;
  readonly settings: SettingsReading;
  /** Profiles the LCG is taken from (the scan's), for the LCG editor's live size. */
  readonly audienceSize: number | null;
  /** The audience picker shows on the Simulator page; a campaign's tab is fixed to its campaign. */
  readonly pickAudience: boolean;
}

/** Everything the user chooses, the question first: audience, metric, the LCG to try; then α, power, sides, seed, effect, target; the optional covariate last. */
export function SimulatorInputs({ form, fields, source, settings, audienceSize, pickAudience }: InputsProps) {
  const { editSimulator } = useActions();
  const s = form.settings;
  const setSettings = (change: Partial<SimulatorForm['settings']>) => editSimulator({ settings: { ...s, ...change } });
  return (
    <div className="sim-inputs-body">
      {pickAudience && <AudiencePicker form={form} problem={source.problems.audience ?? null} />}
      <MetricInputs form={form} fields={fields} problem={source.problems.metric ?? null} />
      <fieldset className="sim-group">
        <legend className="sim-group-title">LCG to try</legend>
        <LcgEditor
          draft={form.lcg}
          onChange={(lcg) => editSimulator({ lcg })}
          fields={fields}
          problems={settings.lcgProblems}
          audience={audienceSize}
          audienceNote={form.audience?.kind === 'campaign' ? 'the audience after the GCG' : undefined}
        />
        {form.audience?.kind === 'campaign' && <p className="field-hint">Changes here are tried in the simulator only; the campaign keeps its own settings.</p>}
      </fieldset>
      <fieldset className="sim-group">
        <legend className="sim-group-title">Statistics</legend>
        <div className="sim-row">
          <TextField label="α" error={settings.problems.alpha ?? null} value={s.alphaText} inputMode="decimal" onChange={(e) => setSettings({ alphaText: e.target.value })} />
          <TextField label="Power" error={settings.problems.power ?? null} value={s.powerText} inputMode="decimal" onChange={(e) => setSettings({ powerText: e.target.value })} />
        </div>
        <div className="sim-row">
          <label className="field">
            <span className="field-label">Sides</span>
            <select value={s.sided} onChange={(e) => setSettings({ sided: e.target.value === 'one-sided' ? 'one-sided' : 'two-sided' })}>
              <option value="two-sided">Two-sided</option>
              <option value="one-sided">One-sided</option>
            </select>
          </label>
          <TextField label="Seed of the split" error={settings.problems.seed ?? null} value={s.seedText} spellCheck={false} onChange={(e) => setSettings({ seedText: e.target.value })} />
        </div>
        <div className="sim-row">
          <TextField label="True effect, %" error={settings.problems.effect ?? null} value={s.effectText} inputMode="decimal" placeholder="e.g. 5" onChange={(e) => setSettings({ effectText: e.target.value })} />
          <TextField label="Target MDE, %" error={settings.problems.targetMde ?? null} value={s.targetText} inputMode="decimal" placeholder="e.g. 5" onChange={(e) => setSettings({ targetText: e.target.value })} />
        </div>
      </fieldset>
      <CovariateInputs form={form} fields={fields} problem={source.problems.covariate ?? null} />
    </div>
  );
}

function AudiencePicker({ form, problem }: { form: SimulatorForm; problem: string | null }) {
  const campaigns = useApp(selectCampaigns);
  const segments = useApp(selectSegments);
  const { chooseSimulatorAudience } = useActions();
  const id = useId();
  const a = form.audience;
  const value = a === null ? '' : a.kind === 'campaign' ? `campaign:${a.campaignId}` : `segment:${a.segmentId}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Audience
      </label>
      <select
        id={id}
        value={value}
        aria-invalid={problem !== null && a !== null}
        onChange={(e) => {
          const [kind, raw] = e.target.value.split(':');
          const n = Number(raw);
          void chooseSimulatorAudience(kind === 'campaign' ? { kind: 'campaign', campaignId: n } : kind === 'segment' ? { kind: 'segment', segmentId: n } : null);
        }}
      >
        <option value="">Choose a campaign or a segment…</option>
        {campaigns.length > 0 && (
          <optgroup label="Campaigns (audience after the GCG)">
            {campaigns.map((c) => (
              <option key={c.id} value={`campaign:${c.id}`}>
                {c.name}
              </option>
            ))}
          </optgroup>
        )}
        {segments.length > 0 && (
          <optgroup label="Segments">
            {segments.map((s) => (
              <option key={s.id} value={`segment:${s.id}`}>
                {s.name} ({formatCount(s.size)})
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}

function MetricInputs({ form, fields, problem }: { form: SimulatorForm; fields: readonly Field[]; problem: string | null }) {
  const { editSimulator } = useActions();
  const m = form.metric;
  const field = fields.find((f) => f.name === m.field);
  const set = (change: Partial<SimulatorForm['metric']>) => editSimulator({ metric: { ...m, ...change } });
  const selectId = useId();
  return (
    <fieldset className="sim-group">
      <legend className="sim-group-title">Metric</legend>
      <label className="field">
        <span className="field-label">Field</span>
        <select id={selectId} value={m.field} onChange={(e) => set({ field: e.target.value, valueText: '' })}>
          <option value="">Choose a field…</option>
          {metricFields(fields).map((f) => (
            <option key={f.id} value={f.name}>
              {f.name} ({FIELD_TYPE_LABELS[f.type].toLowerCase()})
            </option>
          ))}
        </select>
      </label>
      {field?.type === 'boolean' && <p className="field-hint">Yes or no per profile: the rate of yes is measured.</p>}
      {field?.type === 'enum' && (
        <label className="field">
          <span className="field-label">Counts as yes</span>
          <select value={m.valueText} onChange={(e) => set({ valueText: e.target.value })}>
            <option value="">Choose a value…</option>
            {field.enumValues.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      )}
      {field?.type === 'string' && <TextField label="Counts as yes when equal to" error={null} value={m.valueText} onChange={(e) => set({ valueText: e.target.value })} />}
      {field?.type === 'number' && (
        <>
          <div className="sim-choice" role="radiogroup" aria-label={`How ${field.name} is measured`}>
            <label className="radio">
              <input type="radio" name="sim-number-mode" checked={m.numberMode === 'threshold'} onChange={() => set({ numberMode: 'threshold' })} />
              Yes when above a threshold
            </label>
            <label className="radio">
              <input type="radio" name="sim-number-mode" checked={m.numberMode === 'number'} onChange={() => set({ numberMode: 'number' })} />
              As a number (its mean)
            </label>
          </div>
          {m.numberMode === 'threshold' ? (
            <TextField label="Threshold" error={null} value={m.thresholdText} inputMode="decimal" className="sim-narrow" onChange={(e) => set({ thresholdText: e.target.value })} />
          ) : (
            <TextField label="Cap at quantile (optional)" error={null} value={m.capText} inputMode="decimal" placeholder="e.g. 0.99" className="sim-narrow" onChange={(e) => set({ capText: e.target.value })} />
          )}
        </>
      )}
      {problem && form.audience && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

function CovariateInputs({ form, fields, problem }: { form: SimulatorForm; fields: readonly Field[]; problem: string | null }) {
  const { editSimulator } = useActions();
  const c = form.covariate;
  const set = (change: Partial<SimulatorForm['covariate']>) => editSimulator({ covariate: { ...c, ...change } });
  return (
    <fieldset className="sim-group">
      <legend className="sim-group-title">CUPED covariate</legend>
      <label className="field">
        <span className="field-label">A number measured before the campaign</span>
        <select value={c.field} onChange={(e) => set({ field: e.target.value })}>
          <option value="">None</option>
          {covariateFields(fields).map((f) => (
            <option key={f.id} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {c.field !== '' && <TextField label="Cap at quantile (optional)" error={problem} value={c.capText} inputMode="decimal" placeholder="e.g. 0.99" className="sim-narrow" onChange={(e) => set({ capText: e.target.value })} />}
    </fieldset>
  );
}
