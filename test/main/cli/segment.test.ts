/** `cplan segment` as a real process on real files. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProfilePage } from '../../../shared/contract/profiles';
import type { MembershipChange, Segment } from '../../../shared/contract/segments';
import { expectOneLineError, parseJson, useDemoWorkspace, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

const workspace = useDemoWorkspace(300, 'segments');
let w: CplanWorkspace;
beforeEach(() => {
  w = workspace();
});

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(7, '0'));
const leftovers = () => [...readdirSync(w.dir).filter((f) => f.endsWith('.tmp')), ...readdirSync(w.tmp)];

describe('cplan segment', { timeout: 180_000 }, () => {
  it('creates segments from all profiles, from nothing and from a CSV of IDs, and lists them', async () => {
    const before = readFileSync(join(w.dir, 'p.cplan'));
    const all = await w.run('segment', 'create', 'p.cplan', 'Everyone', '--database', 'customers', '--from', 'all');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('Created the segment "Everyone" in "Customers" with 300 profiles.\n');
    expect(readFileSync(join(w.dir, 'p.cplan')).equals(before)).toBe(false);
    expect((await w.run('segment', 'create', 'p.cplan', 'Later', '--database', 'Customers', '--from', 'empty')).code).toBe(0);
    writeFileSync(join(w.dir, 'vip.csv'), `customer_id;note\n${ids(1, 10).join(';x\n')};x\n9999999;missing\n`);
    const csv = await w.run('segment', 'create', 'p.cplan', 'VIP', '--database', 'Customers', '--from', 'csv:vip.csv', '--json');
    expect(csv.code, csv.stderr).toBe(0);
    expect(parseJson<MembershipChange>(csv.stdout)).toMatchObject({ changed: 10, notFoundCount: 1, notFound: ['9999999'], segment: { name: 'VIP', size: 10, source: { kind: 'csv' } } });

    const list = parseJson<Segment[]>((await w.run('segment', 'list', 'p.cplan', '--json')).stdout);
    expect(list.map((s) => [s.name, s.size])).toEqual(expect.arrayContaining([['Everyone', 300], ['Later', 0], ['VIP', 10]]));
    const text = await w.run('segment', 'list', 'p.cplan', '--database', 'Customers');
    expect(text.stdout).toMatch(/Everyone\s+Customers\s+300\s+all profiles\s+-/);
    expect(leftovers()).toEqual([]);
  });

  it('adds and removes profiles by ID, says which IDs are not in the database, pages the members', async () => {
    await w.run('segment', 'create', 'p.cplan', 'Picked', '--database', 'Customers', '--from', 'empty');
    const added = await w.run('segment', 'add', 'p.cplan', 'picked', ...ids(1, 5), '0000006,0000007', 'nobody');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added 7 profiles; "Picked" has 7 profiles.\n1 ID not in the database: nobody.\n');
    const again = parseJson<MembershipChange>((await w.run('segment', 'add', 'p.cplan', 'Picked', '0000001', '--json')).stdout);
    expect(again).toMatchObject({ changed: 0, unchanged: 1 });
    const removed = await w.run('segment', 'remove', 'p.cplan', 'Picked', '0000002', '0000003');
    expect(removed.stdout).toMatch(/^Removed 2 profiles; "Picked" has 5 profiles\./);
    const page = parseJson<ProfilePage>((await w.run('segment', 'members', 'p.cplan', 'Picked', '--offset', '1', '--limit', '2', '--json')).stdout);
    expect(page).toMatchObject({ total: 5, offset: 1 });
    expect(page.rows.map((r) => r.profileId)).toEqual(['0000004', '0000005']);
    const text = await w.run('segment', 'members', 'p.cplan', 'Picked');
    expect(text.stdout).toMatch(/Profile ID\s+Status\s+email/);
    expect(text.stdout).toMatch(/Profiles 1-5 of 5\.\n$/);
  });

  it('renames and deletes; a segment a campaign uses cannot be deleted', async () => {
    await w.run('segment', 'create', 'p.cplan', 'Old', '--database', 'Customers', '--from', 'all');
    expect((await w.run('segment', 'rename', 'p.cplan', 'Old', 'New')).stdout).toBe('Renamed the segment "Old" to "New".\n');
    await w.run('campaign', 'create', 'p.cplan', 'Uses it', '--database', 'Customers', '--segment', 'New');
    const refused = await w.run('segment', 'delete', 'p.cplan', 'New');
    expect(refused.code).toBe(1);
    expectOneLineError(refused);
    await w.run('segment', 'create', 'p.cplan', 'Spare', '--database', 'Customers', '--from', 'all');
    const deleted = await w.run('segment', 'delete', 'p.cplan', 'Spare');
    expect(deleted.stdout).toBe('Deleted the segment "Spare" (300 profiles; the profiles stay in the database).\n');
  });

  it('says what it cannot find, and refuses a wrong command line with exit code 2', async () => {
    const unknown = await w.run('segment', 'members', 'p.cplan', 'Nope', '--json');
    expect(unknown.code).toBe(1);
    expect(parseJson<JsonFailure>(unknown.stdout).error.code).toBe('NOT_FOUND');
    expect(expectOneLineError(unknown)).toBe('There is no segment "Nope"; there are none.');
    for (const args of [
      ['segment', 'explode', 'p.cplan'],
      ['segment', 'create', 'p.cplan', 'X', '--database', 'Customers'],
      ['segment', 'create', 'p.cplan', 'X', '--database', 'Customers', '--from', 'somewhere'],
      ['segment', 'list', 'p.cplan', '--from', 'all'],
      ['segment', 'add', 'p.cplan', 'X'],
      ['segment', 'list', 'notaproject.txt'],
    ]) {
      const run = await w.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLineError(run);
    }
  });
});
