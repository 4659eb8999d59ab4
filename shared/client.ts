import {
  EngineError,
  isEnvelope,
  type ArgsOf,
  type EngineEventMessage,
  type EngineEventName,
  type EngineEvents,
  type EngineRequest,
  type Envelope,
  type MethodName,
  type ResultOf,
} from './contract/index';

/**
 * What a transport must provide: the Electron preload bridge, browser-mode HTTP, or an
 * engine in the same process (CLI, tests). The client never knows which one it has.
 */
export interface EngineTransport {
  invoke(request: EngineRequest): Promise<Envelope<unknown>>;
  /** Subscribes to every pushed event; returns an unsubscribe function. */
  subscribe(listener: (message: EngineEventMessage) => void): () => void;
}

export interface CallOptions {
  /** Names a long operation, so that progress can be matched and it can be cancelled. */
  readonly operationId?: string;
}

export interface EngineClient {
  call<M extends MethodName>(method: M, args: ArgsOf<M>, options?: CallOptions): Promise<ResultOf<M>>;
  on<E extends EngineEventName>(event: E, listener: (payload: EngineEvents[E]) => void): () => void;
  cancel(operationId: string): Promise<boolean>;
}

let operationCounter = 0;

/** A fresh operation id, unique within this client's lifetime. */
export function newOperationId(prefix = 'op'): string {
  operationCounter += 1;
  const random = Math.floor(Math.random() * 0x7fffffff).toString(36);
  return `${prefix}-${Date.now().toString(36)}-${operationCounter}-${random}`;
}

export function createEngineClient(transport: EngineTransport): EngineClient {
  const listeners = new Map<EngineEventName, Set<(payload: never) => void>>();
  let unsubscribeTransport: (() => void) | null = null;

  const dispatch = (message: EngineEventMessage): void => {
    const set = listeners.get(message.event);
    if (!set) return;
    for (const listener of [...set]) (listener as (payload: unknown) => void)(message.payload);
  };

  return {
    async call(method, args, options) {
      const request: EngineRequest =
        options?.operationId === undefined
          ? { method, args }
          : { method, args, operationId: options.operationId };
      let envelope: Envelope<unknown>;
      try {
        envelope = await transport.invoke(request);
      } catch (error) {
        if (error instanceof EngineError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new EngineError('UNAVAILABLE', `The engine could not be reached: ${reason}`);
      }
      if (!isEnvelope(envelope)) {
        throw new EngineError('INTERNAL', `The engine answered ${method} with something that is not an envelope.`);
      }
      if (!envelope.ok) throw EngineError.fromPayload(envelope.error);
      return envelope.data as ResultOf<typeof method>;
    },

    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as (payload: never) => void);
      unsubscribeTransport ??= transport.subscribe(dispatch);
      return () => {
        set.delete(listener as (payload: never) => void);
        if ([...listeners.values()].every((s) => s.size === 0) && unsubscribeTransport) {
          unsubscribeTransport();
          unsubscribeTransport = null;
        }
      };
    },

    async cancel(operationId) {
      const result = await this.call('operation/cancel', { operationId });
      return result.cancelled;
    },
  };
}
