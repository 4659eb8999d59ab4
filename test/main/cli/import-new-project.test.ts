/**
 * `cplan import --new-project`: a new project made, imported into and saved by one command
 * (README: Importing profiles), as users run it (the real bundle in a child process).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../shared/contract/imports';
import { cplanWorkspace, expectOneLineError, parseJson } from '../../helpers/cplan-process';

describe('cplan import --new-project', () => {
  it('makes the project, named after its file, with the imported database in it', async () => {
    const cli = cplanWorkspace();
    writeFileSync(join(cli.dir, 'people.csv'), 'profile_id,city,visits\n00123,Kazan,3\n00124,Omsk,5\n');
    const run = await cli.run('import', 'spring.cplan', 'people.csv', '--database', 'People', '--new-project', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseJson<ImportResult>(run.stdout)).toMatchObject({ outcome: 'imported', added: 2, database: { name: 'People', profileCount: 2 } });

    const info = await cli.run('info', 'spring.cplan', '--json');
    expect(info.code).toBe(0);
    expect(parseJson<{ name: string; databases: { name: string; profileCount: number }[] }>(info.stdout)).toMatchObject({
      name: 'spring',
      databases: [{ name: 'People', profileCount: 2 }],
    });
    const exported = await cli.run('export', 'spring.cplan', 'out.csv', '--database', 'People', '--no-bom');
    expect(exported.code).toBe(0);

    // The file exists now: a second --new-project is refused at once, and the file is kept.
    const again = await cli.run('import', 'spring.cplan', 'people.csv', '--database', 'People', '--new-project');
    expect(again.code).toBe(1);
    expect(expectOneLineError(again)).toMatch(/spring\.cplan already exists; leave out --new-project to import into it\.$/);
    expect((await cli.run('info', 'spring.cplan')).code).toBe(0);
  });

  it('writes no file when the import stops on bad rows', async () => {
    const cli = cplanWorkspace();
    writeFileSync(join(cli.dir, 'bad.csv'), 'id,age\n1,30\n2,thirty\n');
    const run = await cli.run('import', 'new.cplan', 'bad.csv', '--database', 'People', '--new-project', '--type', 'age=number');
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(/^Nothing was imported: 1 row has a problem/);
    expect(existsSync(join(cli.dir, 'new.cplan'))).toBe(false);
    expect(readdirSync(cli.dir).filter((name) => name.includes('new.cplan'))).toEqual([]);
  });

  it('ends on its own after a big file that cannot be split (the spare parse worker is stopped)', async () => {
    const cli = cplanWorkspace(undefined, 60_000);
    // Over 16 MB (split in two halves when it can be), with one quoted cell: parsed whole.
    const rows = Array.from({ length: 320_000 }, (_, i) => `${String(i + 1).padStart(7, '0')},Name number ${i} of the big file,${i % 100},2024-01-0${(i % 9) + 1}`);
    rows[123] = '0000124,"Quoted, with a comma",23,2024-01-06';
    writeFileSync(join(cli.dir, 'big.csv'), `id,name,score,day\n${rows.join('\n')}\n`);
    const run = await cli.run('import', 'big.cplan', 'big.csv', '--database', 'Big', '--new-project', '--json');
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    expect(parseJson<ImportResult>(run.stdout)).toMatchObject({ outcome: 'imported', added: 320_000, problemCount: 0 });
  }, 120_000);

  it('is not --clean (which opens an existing project)', async () => {
    const cli = cplanWorkspace();
    writeFileSync(join(cli.dir, 'a.csv'), 'id\n1\n');
    const run = await cli.run('import', 'x.cplan', 'a.csv', '--database', 'P', '--new-project', '--clean');
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toBe('--clean opens an existing project; --new-project makes a new one: give one of them');
  });
});
