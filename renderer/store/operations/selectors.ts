import { formatBytes, formatCount } from '../../../shared/format';
import type { ProgressUnit } from '../../../shared/contract/index';
import type { AppState } from '../types';
import type { RunningOperation } from './slice';

/** Oldest first. A new array on each call: use with useShallow. */
export const selectOperations = (state: AppState): RunningOperation[] =>
  Object.values(state.operations).sort((a, b) => a.startedAt - b.startedAt);

export const selectIsBusy = (state: AppState): boolean => Object.keys(state.operations).length > 0;

/** Operations for the progress panel: those no dialog shows itself. */
export const selectPanelOperations = (state: AppState): RunningOperation[] => selectOperations(state).filter((op) => !op.inline);

/** The running operation of a method (at most one import or export runs at a time). */
export const selectOperationOf =
  (method: RunningOperation['method']) =>
  (state: AppState): RunningOperation | null =>
    Object.values(state.operations).find((op) => op.method === method) ?? null;

/** What the progress panel shows for one operation, as text. */
export interface ProgressView {
  readonly label: string;
  readonly phase: string;
  /** 0..100, or null when the total is unknown (an indeterminate bar). */
  readonly percent: number | null;
  /** "12.0 MB of 40.0 MB"; null when there is nothing worth showing. */
  readonly amount: string | null;
  readonly rate: string | null;
  readonly timeLeft: string | null;
}

function formatAmount(value: number, unit: ProgressUnit): string {
  if (unit === 'bytes') return formatBytes(value);
  return `${formatCount(Math.round(value))} ${unit === 'rows' ? 'rows' : 'items'}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'less than a second';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes - hours * 60} min`;
}

export function progressView(op: RunningOperation): ProgressView {
  const percent =
    op.total !== null && op.total > 0 ? Math.min(100, Math.max(0, Math.floor((op.done / op.total) * 100))) : null;
  // A one-step phase ("Checking the file": 0 of 1) says nothing with its numbers.
  const countable = op.total === null ? op.done > 0 : op.total > 1;
  const amount = !countable
    ? null
    : op.total === null
      ? formatAmount(op.done, op.unit)
      : `${formatAmount(op.done, op.unit)} of ${formatAmount(op.total, op.unit)}`;
  return {
    label: op.label,
    phase: op.cancelling ? 'Cancelling…' : (op.phase ?? 'Starting…'),
    percent,
    amount,
    rate: op.ratePerSecond !== null && countable ? `${formatAmount(op.ratePerSecond, op.unit)}/s` : null,
    timeLeft:
      op.secondsLeft === null || !countable
        ? null
        : op.secondsLeft < 1
          ? 'almost done'
          : `about ${formatDuration(op.secondsLeft)} left`,
  };
}
