import type { ProjectState } from './project';

export type ProgressUnit = 'bytes' | 'rows' | 'items';

/** Pushed while a long operation runs. Rates and time left are derived by the receiver. */
export interface ProgressEvent {
  readonly operationId: string;
  readonly method: string;
  /** What is happening now, for the user ("Writing the file"). */
  readonly phase: string;
  readonly done: number;
  /** Null when the total is not known in advance. */
  readonly total: number | null;
  readonly unit: ProgressUnit;
  /**
   * Rows handled so far, when the unit counts something else: an import reports the bytes
   * of the file read (percent, rate and time left) and, here, the rows read meanwhile.
   */
  readonly rows?: number;
  /**
   * A campaign that entered a transient status with this step (Audience building, Audience
   * exclusion): the UI shows it until the operation ends and the campaign is read again.
   */
  readonly campaign?: { readonly campaignId: number; readonly status: 'audience_building' | 'audience_exclusion' };
}

export interface EngineRestartedEvent {
  /** Why the engine stopped, for the user. */
  readonly reason: string;
  /** The project as reopened after the restart (from its file or its recovery copy). */
  readonly restored: ProjectState;
  /** True when the project had changes that were neither saved nor in a recovery copy. */
  readonly lostUnsavedChanges: boolean;
}

/** Every event the engine (or its host) pushes to the UI. */
export interface EngineEvents {
  progress: ProgressEvent;
  'project/changed': ProjectState;
  'engine/restarted': EngineRestartedEvent;
}

export type EngineEventName = keyof EngineEvents;

export type EngineEventMessage = {
  [K in EngineEventName]: { readonly event: K; readonly payload: EngineEvents[K] };
}[EngineEventName];

export const ENGINE_EVENT_NAMES: readonly EngineEventName[] = [
  'progress',
  'project/changed',
  'engine/restarted',
];
