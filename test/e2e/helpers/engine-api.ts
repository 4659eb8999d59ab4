import { EngineError, type ArgsOf, type Envelope, type MethodName, type ResultOf } from '../../../shared/contract/index';
import type { BrowserModeServer } from './server';

/** Calls the engine of a browser-mode server the way the page does (POST /api/invoke with the token). */
export async function engineCall<M extends MethodName>(server: BrowserModeServer, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> {
  const token = /#token=(.+)$/.exec(server.openUrl)?.[1] ?? '';
  const response = await fetch(new URL('/api/invoke', server.origin), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ method, args }),
  });
  const envelope = (await response.json()) as Envelope<ResultOf<M>>;
  if (!envelope.ok) throw EngineError.fromPayload(envelope.error);
  return envelope.data;
}

/** Every profile of a database, by ID, with its values by field name: comparable across databases. */
export async function profilesByName(server: BrowserModeServer, databaseId: number): Promise<Record<string, Record<string, unknown>>> {
  const detail = await engineCall(server, 'database/get', { databaseId });
  const names = new Map(detail.fields.map((f) => [f.id, f.name]));
  const page = await engineCall(server, 'profile/list', { databaseId, offset: 0, limit: 1000, sort: { by: 'profileId', direction: 'asc' } });
  const out: Record<string, Record<string, unknown>> = {};
  for (const row of page.rows) {
    const values: Record<string, unknown> = { subscription: row.subscription };
    page.fieldIds.forEach((id, i) => {
      values[names.get(id) ?? String(id)] = row.values[i];
    });
    out[row.profileId] = values;
  }
  return out;
}
