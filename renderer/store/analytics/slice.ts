import type { AnalysisResult, OutcomeFile, SavedAnalysisSummary } from '../../../shared/contract/analytics';
import { metricLabel } from '../../../shared/analytics/metric-text';
import { fileNameOf } from '../../../shared/format';
import { safeFileName } from '../../lib/paths';
import { confirmDelete, confirmReplace } from '../dialogs/slice';
import { errorSentence, hasCode, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { covariateFromDraft, emptyAnalyticsForm, formFromAnalysis, metricFromDraft, type AnalyticsForm } from './form';

/** An analysis on screen: just run, or a kept one opened from the list. */
export interface ShownAnalysis {
  /** The kept analysis's id (reports are written from it); null if it was not kept. */
  readonly id: number | null;
  readonly result: AnalysisResult;
}

export type ReportFormat = 'html' | 'csv';

export interface AnalyticsState {
  /** The campaign the tab shows; the rest belongs to it. */
  readonly campaignId: number | null;
  readonly form: AnalyticsForm;
  /** The database's event types (before the clock), for the metric's type; null while they are read. */
  readonly eventTypes: readonly string[] | null;
  /** The campaign's outcome file: undefined until loaded, null when none was imported. */
  readonly outcomes: OutcomeFile | null | undefined;
  /** Why the outcome file could not be read or imported (the engine's words), or that the import was cancelled. */
  readonly outcomesError: string | null;
  /** The campaign's kept analyses, newest first; null until loaded. */
  readonly saved: readonly SavedAnalysisSummary[] | null;
  readonly shown: ShownAnalysis | null;
  /** Why the last run failed, or that it was cancelled. */
  readonly runError: string | null;
  /** A report being written. */
  readonly exporting: ReportFormat | null;
}

export interface AnalyticsSlice {
  analytics: AnalyticsState;
  /** The Analytics tab of a campaign: its event types, outcome file and kept analyses (the newest shown when nothing is). */
  openAnalytics(campaignId: number, databaseId: number): Promise<void>;
  editAnalytics(change: Partial<AnalyticsForm>): void;
  /** Analyses the campaign on the form's metric (a long operation, with progress and Cancel); the analysis is kept with the campaign. */
  runAnalysis(): Promise<void>;
  /** Picks a CSV file and imports it as the campaign's outcome file (replacing an earlier one). */
  importOutcomeFile(): Promise<void>;
  loadAnalyses(): Promise<void>;
  openAnalysis(id: number): Promise<void>;
  deleteAnalysis(id: number): Promise<void>;
  /** Writes the analysis on screen as an HTML report or a CSV file, to a path the user picks. */
  exportAnalysis(format: ReportFormat): Promise<void>;
  resetAnalytics(): void;
}

const initialState = (): AnalyticsState => ({
  campaignId: null,
  form: emptyAnalyticsForm(),
  eventTypes: null,
  outcomes: undefined,
  outcomesError: null,
  saved: null,
  shown: null,
  runError: null,
  exporting: null,
});

const messageOf = errorSentence;

/** The type a conversion metric most often counts, when the database has it; else its only type. */
function defaultEventType(types: readonly string[]): string {
  if (types.includes('purchase')) return 'purchase';
  return types.length === 1 ? (types[0] ?? '') : '';
}

export const createAnalyticsSlice =
  (deps: StoreDeps): SliceCreator<AnalyticsSlice> =>
  (set, get) => {
    const { client } = deps;
    /** Another project or another campaign makes an answer stale. */
    let epoch = 0;
    const patch = (change: Partial<AnalyticsState>) => set({ analytics: { ...get().analytics, ...change } });
    /** Whether the tab still shows the campaign an answer was asked for (no other project or campaign since). */
    const stillOn = (at: number, campaignId: number) => at === epoch && get().analytics.campaignId === campaignId;
    const running = (method: 'analytics/run' | 'analytics/importOutcomes') => Object.values(get().operations).some((op) => op.method === method);

    const loadEventTypes = async (at: number, campaignId: number, databaseId: number) => {
      try {
        const { types } = await client.call('events/list', { databaseId, limit: 1 });
        if (!stillOn(at, campaignId)) return;
        const eventTypes = types.map((t) => t.type);
        const { metric } = get().analytics.form;
        const eventType = metric.eventType === '' ? defaultEventType(eventTypes) : metric.eventType;
        patch({ eventTypes, form: { ...get().analytics.form, metric: { ...metric, eventType } } });
      } catch {
        // The type field then offers no choices; a type can still be typed.
        if (stillOn(at, campaignId)) patch({ eventTypes: [] });
      }
    };

    const loadOutcomes = async (at: number, campaignId: number) => {
      try {
        const outcomes = await client.call('analytics/outcomes', { campaignId });
        if (stillOn(at, campaignId)) patch({ outcomes, outcomesError: null });
      } catch (error) {
        if (stillOn(at, campaignId) && !hasCode(error, 'NO_PROJECT')) patch({ outcomes: null, outcomesError: messageOf(error) });
      }
    };

    return {
      analytics: initialState(),

      async openAnalytics(campaignId, databaseId) {
        if (!get().project.open) return;
        if (get().analytics.campaignId !== campaignId) {
          epoch += 1;
          set({ analytics: { ...initialState(), campaignId } });
        }
        const at = epoch;
        await Promise.all([loadEventTypes(at, campaignId, databaseId), loadOutcomes(at, campaignId), get().loadAnalyses()]);
        const { saved, shown } = get().analytics;
        const newest = saved?.[0];
        if (stillOn(at, campaignId) && shown === null && newest && !running('analytics/run')) await get().openAnalysis(newest.id);
      },

      editAnalytics(change) {
        patch({ form: { ...get().analytics.form, ...change } });
      },

      async runAnalysis() {
        const { campaignId, form } = get().analytics;
        if (campaignId === null || running('analytics/run')) return;
        const { metric } = metricFromDraft(form.metric);
        const { covariate, problem } = covariateFromDraft(form.covariate, form.metric);
        if (metric === null || problem !== null) return;
        const at = epoch;
        patch({ runError: null });
        const name = get().campaignDetails[campaignId]?.campaign.name ?? get().campaigns?.find((c) => c.id === campaignId)?.name;
        try {
          const { id, result } = await get().runOperation(
            'analytics/run',
            { campaignId, metric, covariate, gcg: form.compareGcg, save: true },
            `Analysing ${name ? `"${name}"` : 'the campaign'}: ${metricLabel(metric)}`,
            { inline: true },
          );
          if (!stillOn(at, campaignId)) return;
          patch({ shown: { id, result } });
          await get().loadAnalyses();
        } catch (error) {
          if (stillOn(at, campaignId)) patch({ runError: isCancelled(error) ? 'Cancelled: nothing was analysed or kept.' : messageOf(error) });
        }
      },

      async importOutcomeFile() {
        const { campaignId } = get().analytics;
        if (campaignId === null || running('analytics/importOutcomes')) return;
        const picked = await get().pickFilePath('open-csv');
        if (!picked || get().analytics.campaignId !== campaignId) return;
        const at = epoch;
        patch({ outcomesError: null });
        try {
          const outcomes = await get().runOperation('analytics/importOutcomes', { campaignId, path: picked.path }, `Importing outcomes from ${fileNameOf(picked.path)}`, { inline: true });
          if (!stillOn(at, campaignId)) return;
          patch({ outcomes });
          const columns = outcomes.columns.map((c) => c.name);
          get().notify({ tone: 'success', title: 'Outcome file imported', message: `${fileNameOf(picked.path)}: ${columns.length === 1 ? 'the column' : 'the columns'} ${columns.join(', ')} can now be analysed.` });
          // The first column is the obvious choice for a metric from the file.
          const { metric } = get().analytics.form;
          if (!columns.includes(metric.column)) patch({ form: { ...get().analytics.form, metric: { ...metric, column: columns[0] ?? '' } } });
        } catch (error) {
          if (!stillOn(at, campaignId)) return;
          // The file shown below the message is the one kept, not the one that failed: say which is which.
          const kept = get().analytics.outcomes;
          const keeps = kept ? ` The campaign keeps ${kept.fileName}.` : '';
          const name = fileNameOf(picked.path);
          patch({ outcomesError: isCancelled(error) ? `Cancelled: ${name} was not imported.${keeps}` : `${name}: ${messageOf(error)}${keeps}` });
        }
      },

      async loadAnalyses() {
        const { campaignId } = get().analytics;
        if (campaignId === null) return;
        const at = epoch;
        try {
          const saved = await client.call('analytics/list', { campaignId });
          if (stillOn(at, campaignId)) patch({ saved });
        } catch (error) {
          if (stillOn(at, campaignId) && !hasCode(error, 'NO_PROJECT')) get().reportError(error);
        }
      },

      async openAnalysis(id) {
        const { campaignId } = get().analytics;
        if (campaignId === null) return;
        const at = epoch;
        try {
          const { result } = await client.call('analytics/get', { id });
          if (!stillOn(at, campaignId)) return;
          patch({ shown: { id, result }, runError: null, form: formFromAnalysis(get().analytics.form, result.metric, result.covariate) });
        } catch (error) {
          if (stillOn(at, campaignId)) get().reportError(error);
        }
      },

      async deleteAnalysis(id) {
        const summary = get().analytics.saved?.find((s) => s.id === id);
        const message = `The analysis of ${summary ? `“${summary.metricLabel}”` : 'this metric'} goes from the project. The campaign, its events and its other analyses stay as they are.`;
        if (!(await confirmDelete(get, 'Delete the kept analysis?', message))) return;
        try {
          await client.call('analytics/delete', { id });
          if (get().analytics.shown?.id === id) patch({ shown: null });
          await get().loadAnalyses();
        } catch (error) {
          get().reportError(error);
        }
      },

      async exportAnalysis(format) {
        const { shown, exporting } = get().analytics;
        if (!shown || shown.id === null || exporting !== null) return;
        const id = shown.id;
        const stem = safeFileName(`${shown.result.campaignName} analysis`, 'analysis');
        const picked = await get().pickFilePath(format === 'html' ? 'save-html' : 'save-csv', { defaultName: `${stem}.${format}` });
        if (!picked) return;
        patch({ exporting: format });
        const write = (overwrite: boolean) => client.call('analytics/report', { id, format, path: picked.path, ...(overwrite ? { overwrite: true } : {}) });
        try {
          let written;
          try {
            written = await write(picked.overwrite);
          } catch (error) {
            // The file appeared since it was chosen (or the in-app browser did not list it).
            if (!hasCode(error, 'ALREADY_EXISTS') || !(await confirmReplace(get, picked.path))) throw error;
            written = await write(true);
          }
          get().notify({
            tone: 'success',
            title: format === 'html' ? 'Report saved' : 'CSV saved',
            message: `${written.path}${format === 'html' ? ': it opens in any browser, also offline.' : '.'}`,
          });
        } catch (error) {
          if (!hasCode(error, 'ALREADY_EXISTS')) get().reportError(error);
        } finally {
          patch({ exporting: null });
        }
      },

      resetAnalytics() {
        epoch += 1;
        set({ analytics: initialState() });
      },
    };
  };
