import type { ParseArgsConfig } from 'node:util';
import type { CliEngine } from './cli-engine';

export interface CommandOutput {
  /** What --json prints. */
  readonly data: unknown;
  /** What a person reads. */
  readonly text: string;
  /** The exit code when the command ran but its answer is "no" (cplan verify: the split differs); 0 by default. */
  readonly exitCode?: number;
}

export interface CommandInput {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
  readonly engine: CliEngine;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line after "cplan NAME". */
  readonly usage: string;
  /** More help: options and examples. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly positionals: { readonly min: number; readonly max: number };
  run(input: CommandInput): Promise<CommandOutput>;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** Lines shown under the message as they are (a condition with a caret under the mistake). */
  constructor(
    message: string,
    readonly excerpt?: string,
  ) {
    super(message);
  }
}
