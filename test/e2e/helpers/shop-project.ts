/**
 * A small shop for the e2e tests of updatable segments and the clock: a database "Shop" of
 * people imported from CSV (id,name), and their purchases (id,type,time,amount) imported as
 * events, made by a test engine before the app opens the saved file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestEngine } from '../../helpers/engine';

export const EVENTS_CSV = { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null } as const;
export const EVENTS_MAPPING = { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3, noteColumn: null } as const;

/** Imports `people` (CSV text with a header) into a new database "Shop" (id 1), then `events` (CSV text with a header) into it. */
export async function importShop(t: TestEngine, dir: string, people: string, events: string): Promise<void> {
  const peoplePath = join(dir, 'people.csv');
  writeFileSync(peoplePath, people);
  const preview = await t.call('import/preview', { path: peoplePath });
  await t.call(
    'import/run',
    {
      path: peoplePath,
      target: { newDatabase: 'Shop' },
      csv: preview.options,
      mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })),
      mode: 'upsert',
      emptyCells: 'keep',
      onBadRows: 'stop',
    },
    'import-people',
  );
  const eventsPath = join(dir, 'events.csv');
  writeFileSync(eventsPath, events);
  await t.call('events/import', { databaseId: 1, path: eventsPath, csv: EVENTS_CSV, mapping: EVENTS_MAPPING }, 'import-events');
}
