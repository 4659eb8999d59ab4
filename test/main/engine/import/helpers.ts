/** Helpers for the import tests: CSV files on disk, a project with the real engine, one-call imports. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ColumnMapping, CsvOptions, ImportPreview, ImportRequest, ImportResult } from '../../../../shared/contract/imports';
import type { HandlerContext } from '../../../../main/engine/registry';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

/** Windows-1251 bytes of a text of ASCII and Russian letters (А-я are C0-FF, Ё A8, ё B8). */
export function cp1251(text: string): Buffer {
  return Buffer.from(
    Array.from(text, (ch) => {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (code === 0x401) return 0xa8;
      if (code === 0x451) return 0xb8;
      throw new Error(`no Windows-1251 byte for ${ch}`);
    }),
  );
}

/** UTF-16 bytes with a BOM. */
export function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

export function writeCsv(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface ImportProject extends TestEngine {
  /** Preview with the detected options (changed by `options`), then run with the suggested mapping (changed by `mapping`). */
  importFile(path: string, request?: Partial<Omit<ImportRequest, 'mapping' | 'csv'>> & { options?: Partial<CsvOptions>; mapping?: (preview: ImportPreview) => ColumnMapping[] }): Promise<ImportResult>;
  /** The profiles of a database as plain rows, by profile ID. */
  profiles(databaseId: number): Record<string, unknown>[];
  /** A handler context on this engine, for calling import functions directly. */
  context(signal?: AbortSignal): HandlerContext;
}

export async function startImportProject(): Promise<ImportProject> {
  const t = await startTestEngine();
  await t.call('project/new', { name: 'Import test' });
  let op = 0;
  return {
    ...t,
    async importFile(path, request = {}) {
      const preview = await t.call('import/preview', { path, ...(request.options ? { options: request.options } : {}), ...('target' in request && request.target && 'databaseId' in request.target ? { databaseId: request.target.databaseId } : {}) });
      const mapping = request.mapping ? request.mapping(preview) : preview.columns.map((c) => ({ column: c.index, target: c.suggested }));
      op += 1;
      return t.call(
        'import/run',
        {
          path,
          target: request.target ?? { newDatabase: 'People' },
          csv: preview.options,
          mapping,
          mode: request.mode ?? 'upsert',
          emptyCells: request.emptyCells ?? 'keep',
          onBadRows: request.onBadRows ?? 'stop',
        },
        `import-${op}`,
      );
    },
    profiles(databaseId) {
      const db = t.engine.state.requireSession().db;
      const fields = db.all<{ id: number; name: string }>('SELECT id, name FROM fields WHERE database_id = ? ORDER BY position', [databaseId]);
      const columns = fields.map((f) => `f_${Number(f.id)} AS "${String(f.name).replace(/"/g, '""')}"`);
      return db.all(`SELECT profile_id, subscription${columns.length ? ', ' + columns.join(', ') : ''} FROM profiles_${databaseId} ORDER BY rowid`);
    },
    context(signal = new AbortController().signal) {
      return {
        deps: t.deps,
        state: t.engine.state,
        signal,
        operationId: null,
        progress: () => undefined,
        checkpoint: async () => {
          if (signal.aborted) throw new Error('cancelled');
        },
      };
    },
  };
}

/** The database id of the result, which must be an import. */
export function importedInto(result: ImportResult): number {
  expect(result.outcome).toBe('imported');
  expect(result.database).not.toBeNull();
  return result.database!.id;
}
