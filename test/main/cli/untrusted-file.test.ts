/**
 * `cplan` on a project file changed outside Campaign Planner: the real bundle in a child
 * process (its file check runs in dist/cli/check-worker.cjs), on real files.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHostileProjectFiles, type HostileFileKind, type HostileProjectFile } from '../../helpers/bad-files';
import { cplanWorkspace, expectOneLineError, parseJson, type JsonFailure } from '../../helpers/cplan-process';

const made = mkdtempSync(join(tmpdir(), 'cplan-cli-hostile-'));
let files: Record<HostileFileKind, HostileProjectFile>;
beforeAll(async () => {
  ({ files } = await makeHostileProjectFiles(made));
}, 120_000);
afterAll(() => rmSync(made, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A fresh folder holding the hostile file of `kind` as p.cplan. */
function workspaceWith(kind: HostileFileKind) {
  const w = cplanWorkspace();
  copyFileSync(files[kind].path, join(w.dir, 'p.cplan'));
  return w;
}

async function schemaNames(path: string): Promise<string[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  const names = (db.exec("SELECT name FROM sqlite_schema WHERE type IN ('trigger', 'view')")[0]?.values ?? []).map((r) => String(r[0]));
  const profiles = Number(db.exec('SELECT count(*) FROM profiles_1')[0]?.values[0]?.[0]);
  db.close();
  return [...names, `profiles: ${profiles}`];
}

describe('cplan on a project file changed outside Campaign Planner', { timeout: 120_000 }, () => {
  it('segment create refuses a file whose trigger would delete every profile: exit 1, the trigger named, the file unchanged', async () => {
    const w = workspaceWith('wipeProfiles');
    const before = sha(join(w.dir, 'p.cplan'));
    const run = await w.run('segment', 'create', 'p.cplan', 'New', '--database', 'Customers', '--from', 'all');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const message = expectOneLineError(run);
    expect(message).toMatch(/"p\.cplan" was changed outside Campaign Planner \(found: a trigger "wipe_profiles" on segments\)/);
    expect(message).toMatch(/Add --clean to work on a cleaned copy\.$/);
    expect(sha(join(w.dir, 'p.cplan'))).toBe(before);
    expect(readdirSync(w.tmp)).toEqual([]);
  });

  it('--json gives FOREIGN_SCHEMA with the findings', async () => {
    const w = workspaceWith('unknownTable');
    const run = await w.run('info', 'p.cplan', '--json');
    expect(run.code).toBe(1);
    const output = parseJson<JsonFailure>(run.stdout);
    expect(output.error.code).toBe('FOREIGN_SCHEMA');
    expect(output.error.details).toMatchObject({ cleanable: true, findings: ['an unknown table "notes"', 'a view "note_count"'] });
  });

  it('segment create --clean works on a cleaned copy, says so, and saves it without the trigger', async () => {
    const w = workspaceWith('wipeProfiles');
    const path = join(w.dir, 'p.cplan');
    expect(await schemaNames(path)).toEqual(['wipe_profiles', 'profiles: 200']);
    const run = await w.run('segment', 'create', 'p.cplan', 'New', '--database', 'Customers', '--from', 'all', '--clean');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('cplan: opened a cleaned copy of p.cplan: removed a trigger "wipe_profiles" on segments.\n');
    expect(run.stdout).toMatch(/with 200 profiles/);
    expect(await schemaNames(path)).toEqual(['profiles: 200']);
    expect((await w.run('info', 'p.cplan')).code).toBe(0);
  });

  it('a file that cannot be cleaned is refused with --clean too', async () => {
    const w = workspaceWith('duplicateIds');
    const before = sha(join(w.dir, 'p.cplan'));
    const run = await w.run('info', 'p.cplan', '--clean');
    expect(run.code).toBe(1);
    expect(expectOneLineError(run)).toMatch(/can neither open nor clean .* 20 profile IDs appear more than once/);
    expect(sha(join(w.dir, 'p.cplan'))).toBe(before);
  });

  it('--clean is in the help of commands that open a project, and refused by those that do not', async () => {
    const w = cplanWorkspace();
    for (const command of ['info', 'segment', 'campaign', 'import', 'export', 'database']) {
      expect((await w.run(command, '--help')).stdout).toMatch(/--clean {7}open a cleaned copy/);
    }
    const demo = await w.run('demo', 'x.cplan', '--clean');
    expect(demo.code).toBe(2);
  });
});
