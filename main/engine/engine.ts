import { EngineError, ok, fail, toErrorPayload, type Envelope } from '../../shared/contract/errors';
import type { EngineEventMessage, ProgressUnit } from '../../shared/contract/events';
import { contract, isMethodName, type EngineRequest, type MethodName } from '../../shared/contract/index';
import { invalidArgument } from '../../shared/contract/validation';
import { appHandlers } from './app/handlers';
import type { EngineDeps } from './deps';
import { databaseBytes } from './sqlite/file-room';
import type { DatabaseSnapshot } from './sqlite/database';
import { fileChangedError } from './sqlite/disk-syscalls';
import { fileHandlers } from './files/handlers';
import { projectHandlers } from './project/handlers';
import { databaseHandlers } from './databases/handlers';
import { importHandlers } from './import/handlers';
import { exportHandlers } from './export/handlers';
import { demoHandlers } from './demo/handlers';
import { segmentHandlers } from './segments/handlers';
import { gcgHandlers } from './gcg/handlers';
import { campaignHandlers } from './campaigns/handlers';
import { activityHandlers } from './activities/handlers';
import { splitHandlers } from './split/handlers';
import { simulateHandlers } from './simulate/handlers';
import { eventsHandlers } from './events/handlers';
import { clockHandlers } from './clock/handlers';
import { analyticsHandlers } from './analytics/handlers';
import { outcomeHandlers } from './analytics/outcomes';
import { reportHandlers } from './analytics/report';
import { warehouseSqlHandlers } from './warehouse/sql-handlers';
import { warehouseVerifyHandlers } from './warehouse/verify-handlers';
import { createRegistry, type HandlerContext, type Registry } from './registry';
import { EngineState } from './state';
import { BACKGROUND_READS, PASSING_READS, RequestQueue } from './request-queue';

export interface Engine {
  /** Validates and runs one call; never throws: every outcome is an envelope. */
  call(request: EngineRequest): Promise<Envelope<unknown>>;
  /** Writes a pending recovery copy now (used before a planned shutdown). */
  flushRecovery(): Promise<void>;
  /** Stops timers and closes the open project. */
  dispose(): Promise<void>;
  readonly state: EngineState;
}

export const ENGINE_HANDLERS = [
  projectHandlers,
  fileHandlers,
  appHandlers,
  databaseHandlers,
  importHandlers,
  exportHandlers,
  demoHandlers,
  segmentHandlers,
  gcgHandlers,
  campaignHandlers,
  activityHandlers,
  splitHandlers,
  simulateHandlers,
  eventsHandlers,
  clockHandlers,
  analyticsHandlers,
  outcomeHandlers,
  reportHandlers,
  warehouseSqlHandlers,
  warehouseVerifyHandlers,
] as const;

export function createDefaultRegistry(): Registry {
  return createRegistry(ENGINE_HANDLERS, { complete: true });
}

/** Minimum time between two progress events of one operation. */
const PROGRESS_INTERVAL_MS = 100;

/** The recovery copy waits for a pause in the calls, at most this many times its delay. */
const RECOVERY_PUT_OFF = 10;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The engine: validates each call against the contract, runs its handler, wraps the
 * outcome in the envelope. Calls run one at a time (sql.js is one connection), in arrival
 * order except that long reads let other waiting calls go first (request-queue.ts); methods
 * declared `concurrent` (cancel, ping, state) answer at once even while a long operation is
 * under way.
 */
export function createEngine(
  deps: EngineDeps,
  emit: (message: EngineEventMessage) => void,
  registry: Registry = createDefaultRegistry(),
): Engine {
  const state = new EngineState(deps, emit);
  const queue = new RequestQueue();
  let recoveryTimer: NodeJS.Timeout | null = null;
  let disposed = false;

  const enqueue = <T>(work: () => Promise<T>, background = false, passes = false): Promise<T> => queue.enqueue(work, background, passes);

  /** A recovery copy that failed must not disturb the user's work: a warning, no more. */
  const warnRecoveryNotWritten = (error: unknown) => process.emitWarning(`Recovery copy not written: ${error instanceof Error ? error.message : String(error)}`);

  /** The recovery copy being written to disk, if any: one at a time. */
  let recoveryWrite: Promise<void> | null = null;

  /** When the recovery copy the timer waits to write was first wanted. */
  let recoveryWantedAt = 0;

  /** What the recovery timer waits: longer between a big project's copies (recovery-store.ts). */
  let recoveryDelay = deps.recoveryDelayMs;

  const scheduleRecovery = (delayMs = deps.recoveryDelayMs) => {
    if (recoveryTimer || disposed) return;
    recoveryWantedAt = Date.now();
    recoveryDelay = delayMs;
    startRecoveryTimer();
  };

  const startRecoveryTimer = () => {
    recoveryTimer = setTimeout(() => {
      recoveryTimer = null;
      // In the background: a call the user waits for goes first. Nobody awaits it, so its
      // failure (the project's file unreadable under it) is said here, never left unhandled;
      // the next change asks for a copy again.
      enqueue(() => writeRecoveryCopy(), true).catch(warnRecoveryNotWritten);
    }, recoveryDelay);
    recoveryTimer.unref?.();
  };

  /**
   * A big project's snapshot holds the engine for a while: it is taken when the user pauses
   * (each call puts it off by the delay again), but never put off past ten delays in all.
   */
  const putOffRecovery = () => {
    // A big project's throttled copy (a longer wait already) is not put off further.
    if (!recoveryTimer || recoveryDelay !== deps.recoveryDelayMs || Date.now() - recoveryWantedAt >= RECOVERY_PUT_OFF * deps.recoveryDelayMs) return;
    clearTimeout(recoveryTimer);
    startRecoveryTimer();
  };

  /**
   * Takes a snapshot of the open project's unsaved state for its recovery copy, if it changed
   * since. Only the snapshot holds the engine's turn; the file is written to disk while other
   * calls run (a big project's copy takes seconds to write). `now`: before a planned
   * shutdown, whatever the wait between copies.
   */
  const writeRecoveryCopy = async (now = false): Promise<void> => {
    if (recoveryWrite) await recoveryWrite;
    const session = state.session;
    if (!session || !session.dirty || session.recoveryWrittenAt === session.changeCount) return;
    // A big project's copy is not rewritten after every change (recovery-store.ts).
    const wait = now ? 0 : state.recovery.waitBeforeWriting(session.id, databaseBytes(session.db));
    if (wait > 0) {
      scheduleRecovery(wait);
      return;
    }
    // Read from disk as it is written, with only the pages changed since in memory (a
    // project kept in memory: a copy of it, given back at once after).
    const snapshot = session.db.snapshot();
    const meta = { name: session.state().name, originalPath: session.path };
    recoveryWrite = writeRecoveryFile(session, snapshot, meta).finally(() => {
      snapshot.release();
      recoveryWrite = null;
      deps.collectGarbage?.();
    });
  };

  const writeRecoveryFile = async (
    session: NonNullable<EngineState['session']>,
    snapshot: DatabaseSnapshot,
    meta: { name: string; originalPath: string | null },
  ): Promise<void> => {
    const writtenFor = session.changeCount;
    try {
      await state.recovery.write(session.id, snapshot, meta);
      // A save may have happened meanwhile: then the copy is stale and must go.
      if (state.session === session && session.dirty) {
        session.recoveryWrittenAt = writtenFor;
        session.hasRecoveryCopy = true;
      } else {
        await state.recovery.discard(session.id);
      }
    } catch (error) {
      // A failed recovery write must not disturb the user's work; try again later.
      warnRecoveryNotWritten(error);
      scheduleRecovery();
    }
  };

  const execute = async (
    name: MethodName,
    rawArgs: unknown,
    operationId: string | null,
    controller: AbortController,
  ): Promise<Envelope<unknown>> => {
    const tracked = operationId !== null && state.operations.get(operationId) === controller;
    try {
      return await validateAndRun(name, rawArgs, tracked ? operationId : null, controller);
    } catch (error) {
      // The project's file changed under it: say so, not what SQLite made of it.
      const changed = state.session ? fileChangedError(state.session.db) : null;
      return fail(toErrorPayload(changed ?? error));
    } finally {
      if (tracked && operationId !== null) state.operations.delete(operationId);
    }
  };

  const validateAndRun = async (
    name: MethodName,
    rawArgs: unknown,
    operationId: string | null,
    controller: AbortController,
  ): Promise<Envelope<unknown>> => {
    const spec = contract[name];
    const parsed = spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) return fail(invalidArgument(`arguments for ${name}`, parsed.error, { method: name }));
    const handler = registry.get(name);
    if (!handler) return fail({ code: 'UNKNOWN_METHOD', message: `No handler for ${name}.` });
    let lastProgressAt = 0;
    let lastPhase = '';
    let changedNothing = false;
    const ctx: HandlerContext = {
      deps,
      state,
      signal: controller.signal,
      operationId,
      progress(phase, done, total, unit: ProgressUnit = 'items', rows?: number) {
        if (operationId === null) return;
        const now = Date.now();
        // The end of a step and the start of a new one always get through the throttle.
        const final = total !== null && done >= total;
        if (!final && phase === lastPhase && now - lastProgressAt < PROGRESS_INTERVAL_MS) return;
        lastProgressAt = now;
        lastPhase = phase;
        const payload = { operationId, method: name, phase, done, total, unit };
        emit({ event: 'progress', payload: rows === undefined ? payload : { ...payload, rows } });
      },
      async checkpoint() {
        await yieldToEventLoop();
        if (controller.signal.aborted) throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
      },
      unchanged() {
        changedNothing = true;
      },
      letShortReadsPass: () => queue.letShortReadsPass(),
      letWaitingCallsPass: () => queue.letWaitingCallsPass(),
    };
    if (controller.signal.aborted) throw new EngineError('CANCELLED', 'Cancelled before it started.');
    const run = () => handler(parsed.data as never, ctx);
    return ok(spec.mutates ? await runMutation(run, () => changedNothing) : await run());
  };

  /**
   * A change either happens whole or not at all (handlers use transactions). The project
   * counts as changed from the start, so the handler's result already says "unsaved"; a
   * failure puts the flags back.
   */
  const runMutation = async <T>(run: () => Promise<T> | T, changedNothing: () => boolean): Promise<T> => {
    const session = state.requireSession();
    const before = { dirty: session.dirty, changeCount: session.changeCount };
    session.markChanged();
    try {
      const result = await run();
      if (changedNothing() && state.session === session) {
        session.dirty = before.dirty;
        session.changeCount = before.changeCount;
      }
      state.emitProjectChanged();
      scheduleRecovery();
      return result;
    } catch (error) {
      if (state.session === session) {
        session.dirty = before.dirty;
        session.changeCount = before.changeCount;
      }
      throw error;
    }
  };

  return {
    state,
    call(request) {
      if (disposed) return Promise.resolve(fail({ code: 'UNAVAILABLE', message: 'The engine has shut down.' }));
      const { method: name, args, operationId } = request;
      if (!isMethodName(name)) {
        return Promise.resolve(fail({ code: 'UNKNOWN_METHOD', message: `There is no engine method "${String(name)}".` }));
      }
      const opId = operationId ?? null;
      const controller = new AbortController();
      if (opId !== null && contract[name].long) {
        if (state.operations.has(opId)) {
          return Promise.resolve(
            fail({ code: 'INVALID_ARGUMENT', message: `Operation id "${opId}" is already in use.` }),
          );
        }
        // Registered before it waits in the queue, so it can be cancelled while it waits.
        state.operations.set(opId, controller);
      }
      if (contract[name].concurrent) return execute(name, args, opId, controller);
      putOffRecovery();
      return enqueue(async () => {
        const before = state.session;
        const envelope = await execute(name, args, opId, controller);
        // A project closed or replaced leaves its memory behind; a first project (nothing
        // open before) leaves none, and the collection would only delay a command's work.
        if (contract[name].long || (before !== null && state.session !== before)) deps.collectGarbage?.();
        return envelope;
      }, BACKGROUND_READS.has(name), PASSING_READS.has(name));
    },
    async flushRecovery() {
      if (recoveryTimer) {
        clearTimeout(recoveryTimer);
        recoveryTimer = null;
      }
      await enqueue(() => writeRecoveryCopy(true));
      await recoveryWrite;
    },
    async dispose() {
      disposed = true;
      if (recoveryTimer) clearTimeout(recoveryTimer);
      await queue.idle();
      await recoveryWrite;
      state.session?.close();
    },
  };
}
