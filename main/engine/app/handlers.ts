import { SqlDb } from '../sqlite/database';
import { defineHandlers } from '../registry';

let sqliteVersion: string | null = null;
const startedAt = new Date();

export const appHandlers = defineHandlers({
  'recent/list': (_args, { state }) => state.recent.list(),

  'recent/forget': ({ path }, { state }) => state.recent.forget(path),

  'recovery/list': async (_args, { state }) => {
    const openId = state.session?.id;
    return (await state.recovery.list()).filter((copy) => copy.id !== openId);
  },

  'recovery/discard': async ({ id }, { state }) => {
    await state.recovery.discard(id);
    const openId = state.session?.id;
    return (await state.recovery.list()).filter((copy) => copy.id !== openId);
  },

  'operation/cancel': ({ operationId }, { state }) => {
    const controller = state.operations.get(operationId);
    if (!controller || controller.signal.aborted) return { cancelled: false };
    controller.abort();
    return { cancelled: true };
  },

  'engine/ping': (_args, { deps }) => {
    if (sqliteVersion === null) {
      const db = SqlDb.create(deps.sql);
      sqliteVersion = String(db.scalar('SELECT sqlite_version()'));
      db.close();
    }
    return {
      appVersion: deps.appVersion,
      threadId: deps.threadId,
      pid: deps.pid,
      startedAt: startedAt.toISOString(),
      sqliteVersion,
      maxProjectBytes: deps.maxProjectBytes,
    };
  },
});

