import { z } from 'zod';
import { appMethods } from './app';
import { fileMethods } from './files';
import { combineMethods, type MethodSpec } from './method';
import { projectMethods } from './project';
import { Token } from './common';
import { MAX_ARGS_NESTING, nestsDeeperThan } from './nesting';
import { databaseMethods } from './databases';
import { profileMethods } from './profiles';
import { importMethods } from './imports';
import { exportMethods } from './exports';
import { demoMethods } from './demo';
import { segmentMethods } from './segments';
import { gcgMethods } from './gcg';
import { campaignMethods } from './campaigns';
import { activityMethods } from './activities';
import { splitMethods } from './split';
import { simulateMethods } from './simulate';
import { eventsMethods } from './profile-events';
import { interactionMethods } from './profile-interactions';
import { clockMethods } from './clock';
import { analyticsMethods } from './analytics';
import { warehouseMethods } from './warehouse';

/** The engine contract: every method the UI, the server and the CLI can call. */
export const contract = combineMethods(
  projectMethods,
  fileMethods,
  appMethods,
  databaseMethods,
  profileMethods,
  importMethods,
  exportMethods,
  demoMethods,
  segmentMethods,
  gcgMethods,
  campaignMethods,
  activityMethods,
  splitMethods,
  simulateMethods,
  eventsMethods,
  interactionMethods,
  clockMethods,
  analyticsMethods,
  warehouseMethods,
);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;
export type ParsedArgsOf<M extends MethodName> = z.output<Contract[M]['args']>;
export type ResultOf<M extends MethodName> = z.output<Contract[M]['result']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export function specOf(name: MethodName): MethodSpec {
  return contract[name];
}

/** One call as it crosses a transport. */
export const EngineRequest = z.strictObject({
  method: z.string().min(1).max(100),
  // Checked at every transport (HTTP, IPC) before the arguments are copied or walked.
  args: z.unknown().refine((args) => !nestsDeeperThan(args, MAX_ARGS_NESTING), {
    message: `Arguments nest more than ${MAX_ARGS_NESTING} levels of arrays or objects; no method takes that.`,
  }),
  /** Names a long operation so it can be cancelled and its progress matched. */
  operationId: Token.optional(),
});
export type EngineRequest = z.infer<typeof EngineRequest>;

/** A typed request for one method. */
export type TypedRequest<M extends MethodName> = {
  readonly method: M;
  readonly args: ArgsOf<M>;
  readonly operationId?: string;
};

export * from './errors';
export * from './events';
export * from './common';
export * from './limits';
export type { MethodSpec, MethodTraits } from './method';
export { combineMethods, method } from './method';
export * from './project';
export * from './files';
export * from './app';
export * from './databases';
export * from './profiles';
export * from './imports';
export * from './exports';
export * from './demo';
export * from './segments';
export * from './conditions';
export * from './gcg';
export * from './campaigns';
export * from './activities';
export * from './split';
export * from './simulate';
export * from './profile-events';
export * from './profile-interactions';
