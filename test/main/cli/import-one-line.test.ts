/**
 * `cplan import` that fails says why in one line on stderr (README: exit code 1, "a
 * one-line reason on stderr"), also when it has something to warn about first (values a
 * list lacks, dates that read both ways): the warning goes into that line. An import that
 * goes ahead still warns, on stderr, before its result.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { startImportProject, writeCsv } from '../engine/import/helpers';

let written = '';
beforeEach(() => {
  written = '';
  // Warnings are written straight to the process's stderr; the command's own output goes through runCli's io.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr: written + stderr };
}

describe('cplan import with a warning', () => {
  it('that fails says it all in one line; one that goes ahead warns and imports', async () => {
    const t = await startImportProject();
    await t.call('database/create', { name: 'People', fields: [{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }] });
    const file = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path: file });
    const rows = Array.from({ length: 30 }, (_, i) => `${i},${['gold', 'platinum', 'bronze'][i % 3]},03/04/2024`);
    const data = writeCsv(t.dir, 'tiers.csv', `id,tier,seen\n${rows.join('\n')}\n`);

    const stopped = await cli('import', file, data, '--database', 'People');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^cplan: Nothing was imported: [^\n]+\n$/);
    expect(stopped.stderr).toContain('Column "tier" goes to the list "tier": 2 values are not in the list: "bronze" (10 rows), "platinum" (10 rows)');
    expect(stopped.stderr).toContain('Dates like 03/04/2024 fit both day-first and month-first');

    const skipped = await cli('import', file, data, '--database', 'People', '--on-error', 'skip', '--date-order', 'dmy');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toBe(
      'cplan: column "tier" goes to the list "tier": 2 values are not in the list: "bronze" (10 rows), "platinum" (10 rows); add --add-enum-values to add them to the list, or rows with them are not imported\n',
    );
    expect(skipped.stdout).toMatch(/10 added, 0 updated, 0 unchanged, 20 skipped/);
  });

  it('does not offer --add-enum-values for a column with more values than a list holds', async () => {
    const t = await startImportProject();
    await t.call('database/create', { name: 'People', fields: [{ name: 'tier', type: 'enum', enumValues: ['a', 'b'] }] });
    const file = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path: file });
    const data = writeCsv(t.dir, 'many.csv', `id,tier\n${Array.from({ length: 1200 }, (_, i) => `${i},v${i % 600}`).join('\n')}\n`);
    const run = await cli('import', file, data, '--database', 'People');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Column "tier" goes to the list "tier": the column has more than 500 different values: too many for a list, which holds at most 500; rows with values the list lacks are not imported.',
    );
    expect(run.stderr).not.toContain('add --add-enum-values');
  });
});
