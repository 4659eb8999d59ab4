import type { Envelope } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { EngineRequest } from '../../shared/contract/index';

/** Messages from the host thread to the engine thread. */
export type HostToEngine =
  | { readonly type: 'call'; readonly id: number; readonly request: EngineRequest }
  /** Write a pending recovery copy, close the project, and answer `stopped`. */
  | { readonly type: 'stop' };

/** Messages from the engine thread to the host thread. */
export type EngineToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly envelope: Envelope<unknown> }
  | { readonly type: 'event'; readonly message: EngineEventMessage }
  | { readonly type: 'stopped' }
  | { readonly type: 'fatal'; readonly message: string };
