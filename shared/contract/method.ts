import type { z } from 'zod';

/** How an engine method behaves with respect to the project and the engine's queue. */
export interface MethodTraits {
  /** Marks the open project as changed (unsaved) when it succeeds. */
  readonly mutates: boolean;
  /** Reports `progress` events and honours `operation/cancel`. */
  readonly long: boolean;
  /**
   * Runs at once instead of waiting for the call in progress. Only for calls that read
   * nothing a running operation could be half-way through changing (cancel, ping, state).
   */
  readonly concurrent: boolean;
}

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType>
  extends MethodTraits {
  /** One line for the user: what the method does. */
  readonly doc: string;
  /** Validates the call's arguments before any handler runs. */
  readonly args: A;
  /** Describes the result; tests check handlers against it. */
  readonly result: R;
}

export type MethodMap = Readonly<Record<string, MethodSpec>>;

/** Declares one method; traits default to a quick, read-only, queued call. */
export function method<A extends z.ZodType, R extends z.ZodType>(spec: {
  doc: string;
  args: A;
  result: R;
  mutates?: boolean;
  long?: boolean;
  concurrent?: boolean;
}): MethodSpec<A, R> {
  return {
    doc: spec.doc,
    args: spec.args,
    result: spec.result,
    mutates: spec.mutates ?? false,
    long: spec.long ?? false,
    concurrent: spec.concurrent ?? false,
  };
}

const METHOD_NAME = /^[a-z][a-zA-Z0-9]*\/[a-z][a-zA-Z0-9]*$/;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/**
 * Combines per-domain method maps into the contract. Refuses (throws at load time) a
 * duplicate name or a name that is not `domain/verb`, so a clash can never silently
 * replace a method.
 */
export function combineMethods<const Maps extends readonly MethodMap[]>(
  ...maps: Maps
): UnionToIntersection<Maps[number]> {
  const combined: Record<string, MethodSpec> = {};
  for (const map of maps) {
    for (const [name, spec] of Object.entries(map)) {
      if (!METHOD_NAME.test(name)) {
        throw new Error(`Engine method name "${name}" is not of the form domain/verb.`);
      }
      if (Object.hasOwn(combined, name)) {
        throw new Error(`Engine method "${name}" is declared twice.`);
      }
      combined[name] = spec;
    }
  }
  return combined as UnionToIntersection<Maps[number]>;
}
