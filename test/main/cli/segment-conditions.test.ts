/** `cplan segment preview` and `cplan segment create --where` as a real process on real files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConditionPreview, MembershipChange } from '../../../shared/contract/segments';
import { parseJson, useDemoWorkspace, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

const workspace = useDemoWorkspace(300, 'conditions');
let w: CplanWorkspace;
beforeEach(() => {
  w = workspace();
});

describe('cplan segment with conditions', { timeout: 180_000 }, () => {
  it('previews a condition and makes a static segment of the same profiles', async () => {
    const where = 'purchases >= 2 and not (email is empty)';
    const preview = await w.run('segment', 'preview', 'p.cplan', '--database', 'Customers', '--where', where, '--limit', '3', '--json');
    expect(preview.code, preview.stderr).toBe(0);
    const data = parseJson<ConditionPreview>(preview.stdout);
    expect(data.where).toBe(where);
    expect(data.total).toBeGreaterThan(0);
    expect(data.total).toBeLessThan(300);
    expect(data.page.rows).toHaveLength(3);
    const text = await w.run('segment', 'preview', 'p.cplan', '--database', 'Customers', '--where', where);
    expect(text.stdout).toMatch(new RegExp(`^${data.total} profiles of "Customers" match purchases >= 2 and not \\(email is empty\\) \\(on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\)\\.\\n\\n\\s*Profile ID`));
    expect(text.stdout).toMatch(new RegExp(`Profiles 1-10 of ${data.total}\\.\\n$`));
    const before = readFileSync(join(w.dir, 'p.cplan'));
    const made = await w.run('segment', 'create', 'p.cplan', 'Buyers', '--database', 'Customers', '--type', 'static', '--where', where, '--json');
    expect(made.code, made.stderr).toBe(0);
    expect(parseJson<MembershipChange>(made.stdout).segment).toMatchObject({ size: data.total, source: { kind: 'condition', where } });
    expect(readFileSync(join(w.dir, 'p.cplan')).equals(before)).toBe(false);
    const inside = parseJson<ConditionPreview>((await w.run('segment', 'preview', 'p.cplan', '--database', 'Customers', '--where', 'in segment "Buyers"', '--json')).stdout);
    expect(inside.total).toBe(data.total);
  });

  it('stops with exit code 2 and a caret under a condition that does not read', async () => {
    const run = await w.run('segment', 'preview', 'p.cplan', '--database', 'Customers', '--where', 'purchases >= 2 and\nrevenue >> 10');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('cplan: The condition in --where does not read at line 2, column 10: Expected a number, found ">".\n  revenue >> 10\n           ^\n');
    const create = await w.run('segment', 'create', 'p.cplan', 'X', '--database', 'Customers', '--where', 'city in ("Moscow"');
    expect(create.code).toBe(2);
    expect(create.stderr).toMatch(/column 18: Expected "\)", found the end of the condition/);
  });

  it('stops with exit code 1 naming the leaf the database cannot evaluate', async () => {
    const run = await w.run('segment', 'preview', 'p.cplan', '--database', 'Customers', '--where', 'purchases >= 2 and colour is "red"');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'cplan: The condition "colour is "red"" (line 1, column 20) cannot be evaluated: There is no field "colour" in this database (it may have been removed or renamed).\n' +
        '  purchases >= 2 and colour is "red"\n                     ^\n',
    );
    const json = await w.run('segment', 'create', 'p.cplan', 'X', '--database', 'Customers', '--where', 'city is "Atlantis"', '--json');
    expect(json.code).toBe(1);
    expect(parseJson<JsonFailure>(json.stdout).error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { leaf: 'city is "Atlantis"' } });
    const other = await w.run('segment', 'create', 'p.cplan', 'X', '--database', 'Customers', '--type', 'sometimes', '--where', 'purchases >= 2');
    expect(other.code).toBe(2);
  });
});
