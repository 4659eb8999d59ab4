import type { Field, SimPlan, SimScan, SimSettings } from '../../../shared/contract/index';
import { planSimulation } from '../../../shared/simulate/plan';
import type { AppState } from '../types';
import { balanceKey, repsFromForm, runKey, settingsFromForm, sourceFromForm, sourceKey, type SettingsReading, type SourceReading } from './form';
import type { SimulatorState } from './slice';

export const selectSimulator = (state: AppState): SimulatorState => state.simulator;

/** The database whose profiles the chosen audience holds. */
export function simulatorDatabaseId(state: AppState): number | null {
  const audience = state.simulator.form.audience;
  if (!audience) return null;
  if (audience.kind === 'segment') return state.segments?.find((s) => s.id === audience.segmentId)?.databaseId ?? null;
  const id = audience.campaignId;
  return (state.campaignDetails[id]?.campaign ?? state.campaigns?.find((c) => c.id === id))?.databaseId ?? null;
}

const NO_FIELDS: readonly Field[] = [];
export const simulatorFields = (state: AppState): readonly Field[] => {
  const databaseId = simulatorDatabaseId(state);
  return databaseId === null ? NO_FIELDS : (state.databaseDetails[databaseId]?.fields ?? NO_FIELDS);
};


let last: { scan: SimScan; key: string; plan: SimPlan } | null = null;

/**
 * The closed-form answers for a scan and settings: pure and fast (the page calls it on
 * every keystroke), remembered for the last pair so re-renders do not compute it again.
 */
export function simulationPlan(scan: SimScan, settings: SimSettings): SimPlan {
  const key = JSON.stringify(settings);
  if (last && last.scan === scan && last.key === key) return last.plan;
  const plan = planSimulation(scan, settings);
  last = { scan, key, plan };
  return plan;
}

/** Everything the simulator's page shows, derived from the form and the engine's results. */
export interface SimulatorView {
  readonly source: SourceReading;
  readonly settings: SettingsReading;
  readonly repsProblem: string | null;
  /** The scan is of the source the form stands for (not an older one while a new scan runs). */
  readonly scanCurrent: boolean;
  readonly plan: SimPlan | null;
  /** Engine results for exactly these settings; null when there are none or they are stale. */
  readonly monteCarlo: SimulatorState['monteCarlo'];
  readonly monteCarloStale: boolean;
  readonly balance: SimulatorState['balance'];
  readonly balanceStale: boolean;
}

/** Takes the simulator's state and the audience's fields (select both, then memoise on them). */
export function simulatorView(sim: SimulatorState, fields: readonly Field[]): SimulatorView {
  const source = sourceFromForm(sim.form, fields);
  const settings = settingsFromForm(sim.form, fields);
  const { reps, problem: repsProblem } = repsFromForm(sim.form.repsText);
  const key = source.source ? sourceKey(source.source) : null;
  const scanCurrent = sim.scan !== null && key !== null && sim.scanKey === key;
  const plan = sim.scan && settings.settings ? simulationPlan(sim.scan, settings.settings) : null;
  const mcKey = source.source && settings.settings && reps !== null ? runKey(source.source, settings.settings, { reps }) : null;
  const balKey = source.source && settings.settings ? balanceKey(source.source, settings.settings) : null;
  // A saved simulation of a CSV audience has no form source here: its own results are shown as saved.
  const savedView = sim.opened !== null && source.source === null;
  const mcFresh = sim.monteCarlo !== null && (savedView || sim.monteCarlo.key === mcKey);
  const balFresh = sim.balance !== null && (savedView || sim.balance.key === balKey);
  return {
    source,
    settings,
    repsProblem,
    scanCurrent,
    plan,
    monteCarlo: mcFresh ? sim.monteCarlo : null,
    monteCarloStale: sim.monteCarlo !== null && !mcFresh,
    balance: balFresh ? sim.balance : null,
    balanceStale: sim.balance !== null && !balFresh,
  };
}
