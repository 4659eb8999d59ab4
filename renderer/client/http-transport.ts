import type { EngineTransport } from '../../shared/client';
import {
  ENGINE_EVENT_NAMES,
  EngineError,
  isEnvelope,
  type EngineEventMessage,
  type Envelope,
} from '../../shared/contract/index';
import { downloadBlobFile, downloadTextFile } from './download';
import type { ConnectionSource, ConnectionStatus, HandOverOptions, Platform } from './platform';

export interface HttpTransportOptions {
  /** The server's origin, e.g. "http://127.0.0.1:5123". */
  readonly origin: string;
  readonly token: string;
  /** How long to wait before opening a new event stream after the server refused one. */
  readonly retryMs?: number;
}

export type HttpTransport = EngineTransport & {
  readonly connection: ConnectionSource;
  /** Sends a file to the server (`POST /api/upload`); resolves with the path the engine can read. */
  upload(file: File, options?: HandOverOptions): Promise<string>;
};

const UNREACHABLE =
  'The Campaign Planner server cannot be reached. Check that it is still running (npm run serve), then try again.';

/**
 * Browser mode: calls are `POST /api/invoke` with the access token; events come from the
 * Server-Sent Events stream `GET /api/events`. EventSource reconnects by itself after a
 * dropped connection, but gives up for good when the server answers with an error (a
 * restarted server, a refused token): then a new stream is opened after `retryMs`.
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const listeners = new Set<(message: EngineEventMessage) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  };

  const openStream = () => {
    const url = new URL('/api/events', options.origin);
    url.searchParams.set('token', options.token);
    const stream = new EventSource(url.href);
    source = stream;
    stream.onopen = () => setStatus('connected');
    stream.onmessage = (event: MessageEvent<string>) => {
      const message = parseEventMessage(event.data);
      if (!message) return;
      for (const listener of [...listeners]) listener(message);
    };
    stream.onerror = () => {
      setStatus('lost');
      if (stream.readyState === EventSource.CLOSED && source === stream) {
        source = null;
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (listeners.size > 0 || statusListeners.size > 0) openStream();
        }, options.retryMs ?? 3000);
      }
    };
  };

  const ensureStream = () => {
    if (!source && !retryTimer) openStream();
  };

  return {
    async invoke(request): Promise<Envelope<unknown>> {
      let response: Response;
      try {
        response = await fetch(new URL('/api/invoke', options.origin), {
          method: 'POST',
          headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(request),
          cache: 'no-store',
        });
      } catch {
        throw new EngineError('UNAVAILABLE', UNREACHABLE);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new EngineError('UNAVAILABLE', `The server answered ${request.method} with HTTP ${response.status} and no result. ${UNREACHABLE}`);
      }
      if (!isEnvelope(body)) {
        throw new EngineError('INTERNAL', `The server answered ${request.method} with something that is not an envelope.`);
      }
      return body;
    },

    subscribe(listener) {
      listeners.add(listener);
      ensureStream();
      return () => {
        listeners.delete(listener);
      };
    },

    upload: (file, uploadOptions = {}) => uploadFile(options, file, uploadOptions),

    connection: {
      status: () => status,
      onChange(listener) {
        statusListeners.add(listener);
        ensureStream();
        return () => {
          statusListeners.delete(listener);
        };
      },
    },
  };
}

function parseEventMessage(data: string): EngineEventMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { event, payload } = value as { event?: unknown; payload?: unknown };
  if (!(ENGINE_EVENT_NAMES as readonly unknown[]).includes(event) || typeof payload !== 'object' || payload === null) {
    return null;
  }
  return value as EngineEventMessage;
}

/**
 * The file's bytes as the body of `POST /api/upload?name=...`. XMLHttpRequest rather than
 * fetch: only it reports upload progress, which a file of a few hundred MB needs.
 */
function uploadFile(options: HttpTransportOptions, file: File, { onProgress, signal }: HandOverOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new EngineError('CANCELLED', 'The upload was cancelled.'));
      return;
    }
    const url = new URL('/api/upload', options.origin);
    url.searchParams.set('name', file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.href);
    xhr.setRequestHeader('Authorization', `Bearer ${options.token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.onabort = () => {
      settle();
      reject(new EngineError('CANCELLED', 'The upload was cancelled.'));
    };
    xhr.onerror = () => {
      settle();
      reject(new EngineError('UNAVAILABLE', UNREACHABLE));
    };
    xhr.onload = () => {
      settle();
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        reject(new EngineError('UNAVAILABLE', `The server answered the upload with HTTP ${xhr.status} and no result. ${UNREACHABLE}`));
        return;
      }
      if (!isEnvelope(body)) {
        reject(new EngineError('INTERNAL', 'The server answered the upload with something that is not an envelope.'));
      } else if (!body.ok) {
        reject(EngineError.fromPayload(body.error));
      } else {
        const data = body.data as { path?: unknown } | null;
        if (typeof data?.path === 'string') resolve(data.path);
        else reject(new EngineError('INTERNAL', 'The server answered the upload without a path.'));
      }
    };
    xhr.send(file);
  });
}

/** No native dialogs or menu in a browser: the in-app file browser and page shortcuts serve. */
export function createBrowserPlatform(transport: HttpTransport): Platform {
  return {
    kind: 'browser',
    pickPath: null,
    onMenuCommand: null,
    connection: transport.connection,
    handOverFile: (file, options) => transport.upload(file, options),
    downloadText: downloadTextFile,
    downloadFile: downloadBlobFile,
  };
}
