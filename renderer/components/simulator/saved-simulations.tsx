import { useState } from 'react';
import { SIM_NAME_MAX, type SavedSimulationSummary } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { tooLongProblem } from '../../lib/text';
import { useActions } from '../../store/react';
import { TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';

interface SavedProps {
  readonly saved: readonly SavedSimulationSummary[] | null;
  readonly opened: SavedSimulationSummary | null;
  /** Saving needs a current scan and valid settings. */
  readonly canSave: boolean;
  readonly forCampaign: boolean;
}

/** Saving the simulation with the campaign, and the saved ones: name, the project clock when saved, the summary. */
export function SavedSimulations({ saved, opened, canSave, forCampaign }: SavedProps) {
  const { saveSimulation, openSavedSimulation, deleteSavedSimulation } = useActions();
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const problem = tooLongProblem(name, SIM_NAME_MAX);
  const save = async () => {
    setSaving(true);
    const done = await saveSimulation(name.trim());
    setSaving(false);
    if (done) setName('');
  };
  return (
    <section className="panel" aria-labelledby="sim-saved-title" data-testid="sim-saved">
      <h3 id="sim-saved-title" className="panel-title">
        Saved simulations
      </h3>
      <form
        className="inline-actions sim-run"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSave && name.trim() !== '' && !problem) void save();
        }}
      >
        <TextField label="Name" error={problem} limit={SIM_NAME_MAX} value={name} placeholder="e.g. LCG 10 %, purchase rate" onChange={(e) => setName(e.target.value)} />
        <SubmitButton busy={saving} busyLabel="Saving…" disabled={!canSave || name.trim() === '' || problem !== null}>
          Save the simulation
        </SubmitButton>
      </form>
      <p className="field-hint">
        Kept in the project file{forCampaign ? ' with the campaign' : ''}: the settings, the seed, the figures and the runs shown, with the date on the
        project clock.
      </p>
      {opened && (
        <p className="callout callout-info" role="status" data-testid="sim-opened">
          Showing “{opened.name}”, saved {formatClock(opened.clock)}. Change anything to simulate anew.
        </p>
      )}
      {saved !== null && saved.length === 0 && <p className="empty-note">No simulation saved yet.</p>}
      {saved !== null && saved.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" aria-label="Saved simulations" data-testid="sim-saved-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Saved (project clock)</th>
                <th scope="col">Summary</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {saved.map((s) => (
                <tr key={s.id} aria-current={opened?.id === s.id ? 'true' : undefined}>
                  <td className="cell-strong">{s.name}</td>
                  <td>{formatClock(s.clock)}</td>
                  <td>{s.summary}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="button button-plain button-small" aria-label={`Open ${s.name}`} onClick={() => void openSavedSimulation(s.id)}>
                        Open
                      </button>
                      <button type="button" className="button button-plain button-small" aria-label={`Delete ${s.name}`} onClick={() => void deleteSavedSimulation(s.id)}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
