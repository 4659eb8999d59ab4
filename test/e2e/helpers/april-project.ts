/**
 * The guide's April example as a project file for the browser tests: profiles p1..p4 in a
 * database "Shop", their purchases imported from CSV (made here), the clock on Saturday 8
 * April 2023, 09:00 (a test engine whose wall clock is then makes it: a project's clock
 * starts at its creation and only moves forward), saved for the app to open.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestEngine } from '../../helpers/engine';

const CSV = { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null } as const;
const EVENTS_MAPPING = { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3, noteColumn: null } as const;

/** The events import's settings for a CSV of `id,type,time,amount` rows (more events later in a test). */
export const APRIL_EVENTS_IMPORT = { csv: CSV, mapping: EVENTS_MAPPING } as const;

/** p2-p4 bought on 5-7 April; p1 buys on Sunday 9 April (after the clock, so not yet). */
const PURCHASES = ['p1,purchase,2023-04-09 12:00,30', 'p2,purchase,2023-04-05 09:00,10', 'p3,purchase,2023-04-06 09:00,10', 'p4,purchase,2023-04-07 09:00,10'];

/** Writes the project to `dir` and returns its path; `morePurchases` are further `id,type,time,amount` rows. */
export async function makeAprilProject(dir: string, name: string, morePurchases: readonly string[] = []): Promise<string> {
  const t = await startTestEngine({ now: () => new Date(2023, 3, 8, 9, 0) });
  try {
    await t.call('project/new', { name });
    const people = join(dir, 'people.csv');
    writeFileSync(people, 'id,name\np1,Ann\np2,Bob\np3,Cy\np4,Dee\n');
    const preview = await t.call('import/preview', { path: people });
    await t.call(
      'import/run',
      { path: people, target: { newDatabase: 'Shop' }, csv: preview.options, mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })), mode: 'upsert', emptyCells: 'keep', onBadRows: 'stop' },
      'import-people',
    );
    const events = join(dir, 'events.csv');
    writeFileSync(events, `id,type,time,amount\n${[...PURCHASES, ...morePurchases].join('\n')}\n`);
    await t.call('events/import', { databaseId: 1, path: events, ...APRIL_EVENTS_IMPORT }, 'import-events');
    const path = join(dir, 'april.cplan');
    await t.call('project/saveAs', { path });
    return path;
  } finally {
    await t.engine.dispose();
  }
}
