import type { ProgressUnit } from '../../shared/contract/events';
import { METHOD_NAMES, type MethodName, type ParsedArgsOf, type ResultOf } from '../../shared/contract/index';
import type { EngineDeps } from './deps';
import type { EngineState } from './state';

export interface HandlerContext {
  readonly deps: EngineDeps;
  readonly state: EngineState;
  /** Aborted when the user cancels this operation. */
  readonly signal: AbortSignal;
  readonly operationId: string | null;
  /**
   * Reports progress of a long operation (throttled by the engine). `rows` goes along with
   * another unit (an import reports bytes read, and the rows read meanwhile).
   */
  progress(phase: string, done: number, total: number | null, unit?: ProgressUnit, rows?: number): void;
  /**
   * Lets queued messages (a cancel, a ping) in, then throws CANCELLED if the user
   * cancelled. Long handlers call it between chunks of work.
   */
  checkpoint(): Promise<void>;
  /**
   * For a method that changes the project (`mutates`) but, this time, changed nothing and
   * says so in its result instead of failing (an import that stopped on bad rows and rolled
   * back): the project keeps the saved/unsaved state it had before the call.
   */
  unchanged?(): void;
  /**
   * For a long read between two of its steps: lets the short reads waiting behind it (a
   * page of members, a profile's card: PASSING_READS) run now, each to its end. The read
   * holds no statement open across it, and nothing that may run there changes profiles.
   */
  letShortReadsPass?(): Promise<void>;
  /**
   * For a read that reads everything again when anything changed meanwhile (it compares
   * SQLite's total_changes()): lets every waiting call but the long reads run now, writes too.
   */
  letWaitingCallsPass?(): Promise<void>;
}

export type Handler<M extends MethodName> = (
  args: ParsedArgsOf<M>,
  ctx: HandlerContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

export type HandlerGroup<M extends MethodName> = { readonly [K in M]: Handler<K> };

export type Registry = ReadonlyMap<MethodName, Handler<MethodName>>;

/** Declares one domain's handlers, checked against the contract by the compiler. */
export function defineHandlers<M extends MethodName>(group: HandlerGroup<M>): HandlerGroup<M> {
  return group;
}

/**
 * Builds the dispatch table from domain groups. Refuses a method registered twice (two
 * domains must never both answer one name) and, with `complete`, a contract method that
 * nobody answers.
 */
export function createRegistry(
  groups: readonly HandlerGroup<MethodName>[] | readonly Partial<HandlerGroup<MethodName>>[],
  options: { complete?: boolean } = {},
): Registry {
  const registry = new Map<MethodName, Handler<MethodName>>();
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group) as [MethodName, Handler<MethodName> | undefined][]) {
      if (!handler) continue;
      if (registry.has(name)) throw new Error(`Engine method "${name}" has two handlers.`);
      if (!METHOD_NAMES.includes(name)) throw new Error(`Engine method "${name}" is not in the contract.`);
      registry.set(name, handler);
    }
  }
  if (options.complete) {
    const missing = METHOD_NAMES.filter((name) => !registry.has(name));
    if (missing.length > 0) throw new Error(`Engine methods without a handler: ${missing.join(', ')}`);
  }
  return registry;
}
