import { newOperationId } from '../../../shared/client';
import type { ArgsOf, MethodName, ProgressEvent, ProgressUnit, ResultOf } from '../../../shared/contract/index';
import type { SliceCreator, StoreDeps } from '../types';

/** A long operation under way, as the progress panel shows it. */
export interface RunningOperation {
  readonly id: string;
  readonly method: MethodName;
  /** What the user asked for ("Opening spring.cplan"). */
  readonly label: string;
  readonly phase: string | null;
  readonly done: number;
  readonly total: number | null;
  readonly unit: ProgressUnit;
  readonly startedAt: number;
  /** When the last progress event came, and what it said: the base for the next rate. */
  readonly lastAt: number;
  /** Units per second, smoothed over successive events; null until two events of one phase. */
  readonly ratePerSecond: number | null;
  /** Seconds until done at the current rate; null when the total or the rate is unknown. */
  readonly secondsLeft: number | null;
  readonly cancelling: boolean;
  /** The latest count of each unit reported so far (an import counts bytes and rows). */
  readonly doneByUnit: Readonly<Partial<Record<ProgressUnit, number>>>;
  /** Shown inside the dialog that started it (import, export), not in the progress panel. */
  readonly inline: boolean;
}

export interface RunOptions {
  /** The dialog that starts the operation shows its progress itself. */
  readonly inline?: boolean;
}

export interface OperationsSlice {
  operations: Readonly<Record<string, RunningOperation>>;
  /** Calls a long engine method with a fresh operation id and tracks it until it ends. */
  runOperation<M extends MethodName>(method: M, args: ArgsOf<M>, label: string, options?: RunOptions): Promise<ResultOf<M>>;
  applyProgress(event: ProgressEvent): void;
  cancelOperation(id: string): Promise<void>;
  /** Forgets every operation (the engine restarted: they all failed). */
  clearOperations(): void;
}

/** Weight of the newest rate sample: smooth enough to read, quick enough to follow. */
const RATE_SMOOTHING = 0.3;

/** Folds one progress event into an operation: rate from the previous event of the same phase. */
export function nextProgress(op: RunningOperation, event: ProgressEvent, at: number): RunningOperation {
  const samePhase = op.phase === event.phase && op.unit === event.unit && event.done >= op.done;
  let rate: number | null = samePhase ? op.ratePerSecond : null;
  const elapsed = (at - op.lastAt) / 1000;
  if (samePhase && elapsed > 0 && event.done > op.done) {
    const sample = (event.done - op.done) / elapsed;
    rate = rate === null ? sample : RATE_SMOOTHING * sample + (1 - RATE_SMOOTHING) * rate;
  }
  const secondsLeft =
    rate !== null && rate > 0 && event.total !== null ? Math.max(0, (event.total - event.done) / rate) : null;
  return {
    ...op,
    phase: event.phase,
    done: event.done,
    total: event.total,
    unit: event.unit,
    lastAt: at,
    ratePerSecond: rate,
    secondsLeft,
    // An import counts bytes (for percent and time left) and, alongside, the rows read.
    doneByUnit: { ...op.doneByUnit, [event.unit]: event.done, ...(event.rows === undefined ? {} : { rows: event.rows }) },
  };
}

export const createOperationsSlice =
  (deps: StoreDeps): SliceCreator<OperationsSlice> =>
  (set, get) => {
    const update = (id: string, change: (op: RunningOperation) => RunningOperation) => {
      const op = get().operations[id];
      if (op) set({ operations: { ...get().operations, [id]: change(op) } });
    };
    const remove = (id: string) => {
      const { [id]: _gone, ...rest } = get().operations;
      set({ operations: rest });
    };

    return {
      operations: {},

      async runOperation(method, args, label, options = {}) {
        const id = newOperationId(method.replace('/', '-'));
        const at = deps.now();
        const op: RunningOperation = {
          id,
          method,
          label,
          phase: null,
          done: 0,
          total: null,
          unit: 'items',
          startedAt: at,
          lastAt: at,
          ratePerSecond: null,
          secondsLeft: null,
          cancelling: false,
          doneByUnit: {},
          inline: options.inline ?? false,
        };
        set({ operations: { ...get().operations, [id]: op } });
        try {
          return await deps.client.call(method, args, { operationId: id });
        } finally {
          remove(id);
        }
      },

      applyProgress(event) {
        update(event.operationId, (op) => nextProgress(op, event, deps.now()));
      },

      async cancelOperation(id) {
        if (!get().operations[id]) return;
        update(id, (op) => ({ ...op, cancelling: true }));
        try {
          const cancelled = await deps.client.cancel(id);
          // Too late: it finished (or failed) meanwhile, and its own outcome is reported.
          if (!cancelled) update(id, (op) => ({ ...op, cancelling: false }));
        } catch (error) {
          update(id, (op) => ({ ...op, cancelling: false }));
          get().reportError(error);
        }
      },

      clearOperations() {
        set({ operations: {} });
      },
    };
  };
