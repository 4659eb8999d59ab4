/**
 * The guide's April example as a project file for the browser tests: profiles p1..p4 in a
 * database "Shop", their purchases imported from CSV (made here), the clock on Saturday 8
 * April 2023, 09:00 (a test engine whose wall clock is then makes it: a project's clock
 * starts at its creation and only moves forward), saved for the app to open.
 */
import { join } from 'node:path';
import { startTestEngine } from '../../helpers/engine';
import { EVENTS_CSV, EVENTS_MAPPING, importShop } from './shop-project';

/** The events import's settings for a CSV of `id,type,time,amount` rows (more events later in a test). */
export const APRIL_EVENTS_IMPORT = { csv: EVENTS_CSV, mapping: EVENTS_MAPPING } as const;

/** p2-p4 bought on 5-7 April; p1 buys on Sunday 9 April (after the clock, so not yet). */
const PURCHASES = ['p1,purchase,2023-04-09 12:00,30', 'p2,purchase,2023-04-05 09:00,10', 'p3,purchase,2023-04-06 09:00,10', 'p4,purchase,2023-04-07 09:00,10'];

/** Writes the project to `dir` and returns its path; `morePurchases` are further `id,type,time,amount` rows. */
export async function makeAprilProject(dir: string, name: string, morePurchases: readonly string[] = []): Promise<string> {
  const t = await startTestEngine({ now: () => new Date(2023, 3, 8, 9, 0) });
  try {
    await t.call('project/new', { name });
    await importShop(t, dir, 'id,name\np1,Ann\np2,Bob\np3,Cy\np4,Dee\n', `id,type,time,amount\n${[...PURCHASES, ...morePurchases].join('\n')}\n`);
    const path = join(dir, 'april.cplan');
    await t.call('project/saveAs', { path });
    return path;
  } finally {
    await t.engine.dispose();
  }
}
