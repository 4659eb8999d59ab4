import type { SavedSimulationSummary, SimBalance, SimMonteCarlo, SimScan, SimSource } from '../../../shared/contract/index';
import { confirmDelete } from '../dialogs/slice';
import { describeError, hasCode, isCancelled } from '../notices/messages';
import type { AppState, SliceCreator, StoreDeps } from '../types';
import {
  emptyForm,
  formForCampaign,
  formFromSaved,
  repsFromForm,
  balanceKey,
  runKey,
  settingsFromForm,
  sourceFromForm,
  sourceKey,
  defaultMetric,
  type SimAudienceChoice,
  type SimulatorForm,
} from './form';
import { simulationPlan, simulatorDatabaseId, simulatorFields } from './selectors';
import { tableCsv, type ResultTableData } from './tables';

/** An engine result kept with the key of what it was computed for: a change of the settings makes it stale. */
export interface KeyedResult<T> {
  readonly key: string;
  readonly result: T;
}

export interface SimulatorState {
  readonly form: SimulatorForm;
  /** The latest scan, and the key of the source it read (sourceKey). */
  readonly scan: SimScan | null;
  readonly scanKey: string | null;
  /** Why the last scan failed (a metric with no values, a constant metric), or that it was cancelled. */
  readonly scanError: string | null;
  readonly monteCarlo: KeyedResult<SimMonteCarlo> | null;
  readonly monteCarloError: string | null;
  readonly balance: KeyedResult<SimBalance> | null;
  readonly balanceError: string | null;
  /** Saved simulations of the audience's campaign (or all, for a segment); null until loaded. */
  readonly saved: readonly SavedSimulationSummary[] | null;
  /** The saved simulation on screen, until the form changes what it shows. */
  readonly opened: SavedSimulationSummary | null;
}

export interface SimulatorSlice {
  simulator: SimulatorState;
  /** The Simulate tab of a campaign: the simulator on that campaign (kept as it is when already there). */
  presetSimulator(campaignId: number): Promise<void>;
  /** The audience picker: a campaign (preset with its LCG and seed) or a segment. */
  chooseSimulatorAudience(choice: SimAudienceChoice | null): Promise<void>;
  /** Replaces parts of the form; results computed for other settings become stale (and are not shown). */
  editSimulator(change: Partial<SimulatorForm>): void;
  /** Reads the audience again when the source (audience, metric, covariate, strata) changed; one scan at a time, the newest wins. */
  scanSimulation(): Promise<void>;
  runMonteCarlo(): Promise<void>;
  checkBalance(): Promise<void>;
  loadSavedSimulations(): Promise<void>;
  saveSimulation(name: string): Promise<SavedSimulationSummary | null>;
  openSavedSimulation(id: number): Promise<void>;
  deleteSavedSimulation(id: number): Promise<void>;
  downloadSimulatorTable<T>(table: ResultTableData<T>): void;
  downloadSimulatorFile(fileName: string, data: Blob): void;
  resetSimulator(): void;
}

const initialState = (): SimulatorState => ({
  form: emptyForm(),
  scan: null,
  scanKey: null,
  scanError: null,
  monteCarlo: null,
  monteCarloError: null,
  balance: null,
  balanceError: null,
  saved: null,
  opened: null,
});

/** The source and settings as they stand, when both are valid. */
function current(state: AppState): { source: SimSource; key: string } | null {
  const { source } = sourceFromForm(state.simulator.form, simulatorFields(state));
  return source ? { source, key: sourceKey(source) } : null;
}

const messageOf = (error: unknown) => describeError(error).message;

export const createSimulatorSlice =
  (deps: StoreDeps): SliceCreator<SimulatorSlice> =>
  (set, get) => {
    /** The source whose scan is under way; a newer request replaces it (its result is dropped). */
    let scanning: string | null = null;
    let epoch = 0;
    const patch = (change: Partial<SimulatorState>) => set({ simulator: { ...get().simulator, ...change } });
    const runOf = (method: 'simulate/scan' | 'simulate/monteCarlo' | 'simulate/balance') => Object.values(get().operations).find((op) => op.method === method) ?? null;

    /** Makes sure the fields of the audience's database are here (the form's choices and checks need them). */
    const loadFields = async () => {
      const databaseId = simulatorDatabaseId(get());
      if (databaseId !== null && !get().databaseDetails[databaseId]) await get().loadDatabase(databaseId);
    };

    return {
      simulator: initialState(),

      async presetSimulator(campaignId) {
        const audience = get().simulator.form.audience;
        if (audience?.kind === 'campaign' && audience.campaignId === campaignId) return;
        await get().chooseSimulatorAudience({ kind: 'campaign', campaignId });
      },

      async chooseSimulatorAudience(choice) {
        const at = epoch;
        const before = simulatorDatabaseId(get());
        patch({ form: { ...get().simulator.form, audience: choice }, opened: null, saved: null, monteCarlo: null, balance: null, monteCarloError: null, balanceError: null, scanError: null });
        if (choice?.kind === 'campaign' && !get().campaignDetails[choice.campaignId] && !get().campaigns?.some((c) => c.id === choice.campaignId)) await get().loadCampaigns();
        if (choice?.kind === 'segment' && !get().segments) await get().loadSegments();
        await loadFields();
        if (at !== epoch || get().simulator.form.audience !== choice) return;
        const fields = simulatorFields(get());
        const form = get().simulator.form;
        if (choice?.kind === 'campaign') {
          const campaign = get().campaignDetails[choice.campaignId]?.campaign ?? get().campaigns?.find((c) => c.id === choice.campaignId);
          if (campaign) patch({ form: formForCampaign(form, campaign, fields) });
        } else if (choice && simulatorDatabaseId(get()) !== before) {
          // Another database: its own fields, no strata to carry over; the seed stays as typed.
          const empty = emptyForm();
          patch({ form: { ...form, metric: defaultMetric(fields), covariate: empty.covariate, lcg: { ...form.lcg, strata: [] } } });
        }
        void get().loadSavedSimulations();
        await get().scanSimulation();
      },

      editSimulator(change) {
        patch({ form: { ...get().simulator.form, ...change }, opened: null });
      },

      async scanSimulation() {
        const now = current(get());
        const sim = get().simulator;
        if (!now || (now.key === sim.scanKey && sim.scan) || now.key === scanning) return;
        const previous = runOf('simulate/scan');
        scanning = now.key;
        if (previous) void get().cancelOperation(previous.id);
        const at = epoch;
        patch({ scanError: null });
        try {
          const scan = await get().runOperation('simulate/scan', now.source, `Reading ${scanLabel(get())} for the simulator`, { inline: true });
          if (at !== epoch || scanning !== now.key) return;
          patch({ scan, scanKey: now.key });
        } catch (error) {
          if (at !== epoch || scanning !== now.key) return;
          patch({ scanError: isCancelled(error) ? 'Cancelled: the figures below are for the settings read before.' : messageOf(error) });
        } finally {
          if (scanning === now.key) scanning = null;
        }
      },

      async runMonteCarlo() {
        const state = get();
        const now = current(state);
        const { settings } = settingsFromForm(state.simulator.form, simulatorFields(state));
        const { reps } = repsFromForm(state.simulator.form.repsText);
        if (!now || !settings || reps === null || runOf('simulate/monteCarlo')) return;
        const { alpha, sided, percent, limit, seed, effect } = settings;
        const key = runKey(now.source, settings, { reps });
        const at = epoch;
        patch({ monteCarloError: null });
        try {
          const result = await get().runOperation(
            'simulate/monteCarlo',
            { source: now.source, settings: { alpha, sided, percent, limit, seed, effect }, reps },
            `Monte Carlo: ${reps.toLocaleString('en-US')} replicates of the split`,
            { inline: true },
          );
          if (at === epoch) patch({ monteCarlo: { key, result } });
        } catch (error) {
          if (at === epoch) patch({ monteCarloError: isCancelled(error) ? 'Cancelled before the replicates were done.' : messageOf(error) });
        }
      },

      async checkBalance() {
        const state = get();
        const now = current(state);
        const { settings } = settingsFromForm(state.simulator.form, simulatorFields(state));
        if (!now || !settings || runOf('simulate/balance')) return;
        const { percent, limit, seed } = settings;
        const key = balanceKey(now.source, settings);
        const at = epoch;
        patch({ balanceError: null });
        try {
          const result = await get().runOperation('simulate/balance', { source: now.source, settings: { percent, limit, seed } }, `Balance of the split for seed "${seed}"`, { inline: true });
          if (at === epoch) patch({ balance: { key, result } });
        } catch (error) {
          if (at === epoch) patch({ balanceError: isCancelled(error) ? 'Cancelled before the balance was computed.' : messageOf(error) });
        }
      },

      async loadSavedSimulations() {
        const at = epoch;
        const audience = get().simulator.form.audience;
        try {
          const saved = await deps.client.call('simulate/list', audience?.kind === 'campaign' ? { campaignId: audience.campaignId } : {});
          if (at === epoch && get().simulator.form.audience === audience) patch({ saved });
        } catch (error) {
          if (at === epoch && !hasCode(error, 'NO_PROJECT')) get().reportError(error);
        }
      },

      async saveSimulation(name) {
        const state = get();
        const sim = state.simulator;
        const now = current(state);
        const { settings } = settingsFromForm(sim.form, simulatorFields(state));
        if (!now || !settings || !sim.scan || sim.scanKey !== now.key) return null;
        const plan = simulationPlan(sim.scan, settings);
        const reps = repsFromForm(sim.form.repsText).reps;
        const monteCarlo = sim.monteCarlo && sim.monteCarlo.key === runKey(now.source, settings, { reps }) ? sim.monteCarlo.result : null;
        const balance = sim.balance && sim.balance.key === balanceKey(now.source, settings) ? sim.balance.result : null;
        try {
          const summary = await deps.client.call('simulate/save', { name, body: { source: now.source, settings, scan: sim.scan, plan, monteCarlo, balance } });
          patch({ opened: summary });
          get().notify({ tone: 'success', title: 'Simulation saved', message: `"${summary.name}" is kept in the project: ${summary.summary}` });
          await get().loadSavedSimulations();
          return summary;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async openSavedSimulation(id) {
        const at = epoch;
        try {
          const { summary, body } = await deps.client.call('simulate/get', { id });
          if (at !== epoch) return;
          const reps = body.monteCarlo?.reps ?? repsFromForm(get().simulator.form.repsText).reps ?? 1000;
          const form = formFromSaved(body.source, body.settings, String(reps));
          const key = sourceKey(body.source);
          scanning = null;
          patch({
            form,
            scan: body.scan,
            scanKey: key,
            scanError: null,
            monteCarlo: body.monteCarlo ? { key: runKey(body.source, body.settings, { reps: body.monteCarlo.reps }), result: body.monteCarlo } : null,
            balance: body.balance ? { key: balanceKey(body.source, body.settings), result: body.balance } : null,
            monteCarloError: null,
            balanceError: null,
            opened: summary,
          });
          await loadFields();
          if (at === epoch) void get().loadSavedSimulations();
        } catch (error) {
          get().reportError(error);
        }
      },

      async deleteSavedSimulation(id) {
        const summary = get().simulator.saved?.find((s) => s.id === id);
        const message = `"${summary?.name ?? 'The simulation'}" goes from the project. The campaign and its settings stay as they are.`;
        if (!(await confirmDelete(get, 'Delete the saved simulation?', message))) return;
        try {
          await deps.client.call('simulate/delete', { id });
          if (get().simulator.opened?.id === id) patch({ opened: null });
          await get().loadSavedSimulations();
        } catch (error) {
          get().reportError(error);
        }
      },

      downloadSimulatorTable(table) {
        deps.platform.downloadText(`${table.name}.csv`, tableCsv(table), 'text/csv;charset=utf-8');
      },

      downloadSimulatorFile(fileName, data) {
        deps.platform.downloadFile(fileName, data);
      },

      resetSimulator() {
        epoch += 1;
        scanning = null;
        set({ simulator: initialState() });
      },
    };
  };

function scanLabel(state: AppState): string {
  const audience = state.simulator.form.audience;
  if (audience?.kind === 'campaign') {
    const name = (state.campaignDetails[audience.campaignId]?.campaign ?? state.campaigns?.find((c) => c.id === audience.campaignId))?.name;
    return name ? `the audience of "${name}"` : 'the campaign’s audience';
  }
  if (audience?.kind === 'segment') {
    const name = state.segments?.find((s) => s.id === audience.segmentId)?.name;
    return name ? `the segment "${name}"` : 'the segment';
  }
  return 'the audience';
}
