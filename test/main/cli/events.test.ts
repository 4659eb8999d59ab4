/**
 * `cplan events import|list|export` in process on real files (the engine and sql.js for
 * real), and once as a real process for its exit codes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import type { EventsImportResult } from '../../../shared/contract/profile-events';
import { cplanWorkspace } from '../../helpers/cplan-process';
import { startImportProject, writeCsv } from '../engine/import/helpers';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** A saved project with a database "Shop" of profiles C1, C2, C3. */
async function shop(): Promise<{ dir: string; file: string }> {
  const t = await startImportProject();
  await t.importFile(writeCsv(t.dir, 'people.csv', 'customer_id,name\nC1,Ann\nC2,Bob\nC3,Cy\n'), { target: { newDatabase: 'Shop' } });
  const file = join(t.dir, 'shop.cplan');
  await t.call('project/saveAs', { path: file });
  await t.call('project/close', {});
  return { dir: t.dir, file };
}

describe('cplan events', () => {
  it('imports with a column mapping, saves, lists newest first and exports', async () => {
    const { dir, file } = await shop();
    const data = writeCsv(dir, 'orders.csv', 'order_id;customer_id;ordered_at;total\nO-1;C1;03/04/2026 10:00;12,5\nO-2;C2;04/04/2026;7\nO-3;X9;05/04/2026;1\nO-4;C1;06/04/2026 18:30;3\n');
    const run = await cli('events', 'import', file, data, '--database', 'shop', '--type', 'purchase', '--time-column', 'ordered_at', '--amount-column', 'total', '--text-column', '#1', '--date-order', 'dmy', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout) as EventsImportResult).toMatchObject({ outcome: 'imported', imported: 3, unknownProfiles: { rows: 1, ids: 1, first: [{ row: 4, profileId: 'X9' }] } });

    const text = await cli('events', 'list', file, '--database', 'Shop');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^3 events in "Shop" at or before the clock \([0-9-]+ [0-9:]+\), newest first; shown 1-3:\n/);
    const lines = text.stdout.trim().split('\n').slice(3);
    expect(lines.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['2026-04-06 18:30:00', 'C1', 'purchase', '3', 'O-4'],
      ['2026-04-04 00:00:00', 'C2', 'purchase', '7', 'O-2'],
      ['2026-04-03 10:00:00', 'C1', 'purchase', '12.5', 'O-1'],
    ]);
    const one = await cli('events', 'list', file, '--database', 'Shop', '--profile', 'C2', '--type', 'purchase', '--limit', '5');
    expect(one.stdout).toMatch(/^1 event of profile "C2" of type "purchase" in "Shop"/);

    const out = join(dir, 'out.csv');
    const exported = await cli('events', 'export', file, out, '--database', 'Shop', '--no-bom');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^Exported 3 events of "Shop" to .*out\.csv/);
    expect(readFileSync(out, 'utf8').split('\r\n')[1]).toBe('C1,purchase,2026-04-03T10:00:00,12.5,O-1');
    const again = await cli('events', 'export', file, out, '--database', 'Shop');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/add --force to replace it/);
  });

  it('a type column found by its name; bad rows stop the import with exit code 1 and a located reason', async () => {
    const { dir, file } = await shop();
    const good = writeCsv(dir, 'typed.csv', 'customer_id,event,at\nC1,open,2026-01-01\nC3,click,2026-01-02 10:00\n');
    const run = await cli('events', 'import', file, good, '--database', 'Shop', '--time-column', 'at');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Imported 2 events from typed\.csv into "Shop"/);
    const bad = writeCsv(dir, 'bad.csv', 'customer_id,event,at\nC1,open,2026-01-01\nC2,open,someday\n');
    const errors = join(dir, 'errors.csv');
    const stopped = await cli('events', 'import', file, bad, '--database', 'Shop', '--time-column', 'at', '--errors', errors);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^cplan: Nothing was imported from bad\.csv: rows have problems\. First: row 3, column "at": not a date and time[^\n]*--on-error skip imports the other rows\.\n$/);
    expect(readFileSync(errors, 'utf8')).toContain('3,at,someday,not_a_datetime');
    // The project keeps the first import only.
    expect(JSON.parse((await cli('events', 'list', file, '--database', 'Shop', '--json')).stdout)).toMatchObject({ total: 2 });
  });

  it('usage errors exit with code 2 and say what to give', async () => {
    const { dir, file } = await shop();
    const data = writeCsv(dir, 'e.csv', 'customer_id,kind,at\nC1,open,2026-01-01\n');
    const cases: [string[], RegExp][] = [
      [['events', 'import', file, data, '--database', 'Shop'], /--time-column COLUMN is required/],
      [['events', 'import', file, data, '--database', 'Shop', '--time-column', 'at'], /name the column of event types with --type-column COLUMN, or give one type/],
      [['events', 'import', file, data, '--database', 'Shop', '--time-column', 'at', '--type', 'open', '--type-column', 'kind'], /either --type-column COLUMN or --type TYPE, not both/],
      [['events', 'import', file, data, '--database', 'Shop', '--time-column', 'when', '--type', 'open'], /--time-column when: no such column/],
      [['events', 'import', file, data, '--time-column', 'at', '--type', 'open'], /--database NAME is required/],
      [['events', 'list', file, '--database', 'Shop', '--limit', '0'], /--limit must be a whole number/],
      [['events', 'list', file, '--database', 'Shop', '--force'], /--force does not go with "events list"/],
      [['events', 'export', file, join(dir, 'x.json'), '--database', 'Shop'], /must end in \.csv/],
      [['events', 'purge', file], /unknown action "purge"/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('as a real process: imports and exits 0, refuses bad usage with 2 and a bad file with 1', { timeout: 120_000 }, async () => {
    const { dir, file } = await shop();
    const w = cplanWorkspace(dir);
    writeFileSync(join(dir, 'ok.csv'), 'customer_id,type,at\nC1,visit,2026-02-02\n');
    writeFileSync(join(dir, 'bad.csv'), 'customer_id,type,at\nC1,visit,never\n');
    const ok = await w.run('events', 'import', file, join(dir, 'ok.csv'), '--database', 'Shop', '--time-column', 'at');
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect((await w.run('events', 'import', file, join(dir, 'bad.csv'), '--database', 'Shop', '--time-column', 'at')).code).toBe(1);
    expect((await w.run('events', 'list', file)).code).toBe(2);
  });
});
