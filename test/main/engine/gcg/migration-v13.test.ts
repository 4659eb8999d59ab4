/**
 * Migration 13: a format-12 file's GCG assignments (a row per profile considered, member 0
 * or 1) become its members and a high-water mark, exactly: the same members, the same
 * state, the same growth afterwards; the upgraded file passes the strict schema check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { controlTotal } from '../../../../shared/split/control-total';
import { compareSchema } from '../../../../main/engine/project/schema-check';
import { LATEST_SCHEMA_VERSION } from '../../../../main/engine/project/schema';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { alterProject } from '../../../helpers/bad-files';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { lowestByMd5 } from '../segments/helpers';
import { gcgConsidered as considered, gcgMemberIds as memberIds } from './helpers';
import { toV12 } from '../segments/v7-file';

const idsFrom = (from: number, to: number, prefix: string) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** A saved project of the latest format: 400 profiles, a 10 % GCG formed, then grown by 137. */
async function savedWithGcg(): Promise<{ p: DatabaseProject; path: string }> {
  const p = await startDatabaseProject([]);
  p.insert(idsFrom(1, 400, 'c').map((id) => ({ id })));
  await p.call('gcg/set', { databaseId: p.databaseId, percent: 10, seed: 'mig' });
  p.insert(idsFrom(1, 137, 'd').map((id) => ({ id })));
  await p.call('gcg/get', { databaseId: p.databaseId });
  const path = join(p.dir, 'v13.cplan');
  await p.call('project/saveAs', { path });
  return { p, path };
}

describe('migration 13 (GCG members and a high-water mark)', () => {
  it('opens a format-12 file with the same GCG, which grows as it would have; the upgraded file passes the check', async () => {
    const { p, path } = await savedWithGcg();
    const state = await p.call('gcg/get', { databaseId: p.databaseId });
    const members = memberIds(p);
    expect(considered(p)).toEqual({ upTo: 537, count: 537 });
    await p.call('project/close', {});
    const v12 = await alterProject(path, join(p.dir, 'v12.cplan'), toV12([p.databaseId]));

    // The format-12 file as that version wrote it: a row per profile, the members flagged.
    const SQL = await initSqlJs();
    const old = SqlDb.create(SQL, readFileSync(v12));
    try {
      expect(old.get('SELECT COUNT(*) AS n, SUM(member) AS m FROM gcg_assignments')).toEqual({ n: 537, m: members.length });
      expect(compareSchema(SQL, old, 12)).toEqual({ findings: [], repairs: [] });
    } finally {
      old.close();
    }

    expect((await p.call('project/open', { path: v12 })).open).toBe(true);
    expect((await p.call('project/info', {})).fileSchemaVersion).toBe(12);
    expect(memberIds(p)).toEqual(members);
    expect(considered(p)).toEqual({ upTo: 537, count: 537 });
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toEqual(state);

    // The same profiles arrive in the upgraded file and in the latest one: the same members join.
    const newcomers = idsFrom(1, 300, 'e');
    p.insert(newcomers.map((id) => ({ id })));
    const grownFromV12 = await p.call('gcg/get', { databaseId: p.databaseId });
    const membersFromV12 = memberIds(p);
    const upgraded = join(p.dir, 'upgraded.cplan');
    await p.call('project/saveAs', { path: upgraded });
    await p.call('project/close', {});
    await p.call('project/open', { path });
    p.insert(newcomers.map((id) => ({ id })));
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toEqual(grownFromV12);
    expect(memberIds(p)).toEqual(membersFromV12);
    expect(grownFromV12.size).toBe(controlTotal(837, { percent: 10 }));

    const file = SqlDb.create(SQL, readFileSync(upgraded));
    try {
      expect(compareSchema(SQL, file, LATEST_SCHEMA_VERSION)).toEqual({ findings: [], repairs: [] });
      expect(Number(file.scalar('PRAGMA user_version'))).toBe(LATEST_SCHEMA_VERSION);
      // The new tables are held to their shape like every other.
      file.exec('ALTER TABLE gcg_members ADD COLUMN note TEXT');
      expect(compareSchema(SQL, file, LATEST_SCHEMA_VERSION).findings.map((f) => f.text).join(' ')).toMatch(/gcg_members/);
    } finally {
      file.close();
    }
  });

  it('a format-12 file with gaps: assignments of profiles gone are dropped, profiles without one are considered with the next new ones', async () => {
    const { p, path } = await savedWithGcg();
    const members = memberIds(p);
    await p.call('project/close', {});
    const table = `profiles_${p.databaseId}`;
    // Format 12 never wrote these; a file edited by hand (or by a later version that deletes profiles) may hold them.
    const gapIds = idsFrom(11, 40, 'c').filter((id) => !members.includes(id));
    const goneMember = members[0]!;
    const goneOthers = idsFrom(101, 110, 'c').filter((id) => !members.includes(id));
    const gapped = await alterProject(
      path,
      join(p.dir, 'gapped.cplan'),
      `${toV12([p.databaseId])}
       DELETE FROM gcg_assignments WHERE profile_key IN (SELECT rowid FROM ${table} WHERE profile_id IN (SELECT value FROM json_each('${JSON.stringify(gapIds)}')));
       DELETE FROM ${table} WHERE profile_id IN (SELECT value FROM json_each('${JSON.stringify([goneMember, ...goneOthers])}'));`,
    );

    await p.call('project/open', { path: gapped });
    // Converted: the members whose profile is there, the gaps waiting to be considered.
    expect(memberIds(p)).toEqual(members.filter((id) => id !== goneMember));
    expect(considered(p)).toEqual({ upTo: 537, count: 537 - gapIds.length - 1 - goneOthers.length });
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_pending'))).toBe(gapIds.length);

    // 100 new profiles: the shortfall is taken from the gaps and the new ones together, lowest hash first.
    const newcomers = idsFrom(1, 100, 'n');
    p.insert(newcomers.map((id) => ({ id })));
    const profiles = 537 - 1 - goneOthers.length + newcomers.length;
    const total = controlTotal(profiles, { percent: 10 });
    const joined = total - (members.length - 1);
    expect(joined).toBeGreaterThan(0);
    expect(await p.call('gcg/get', { databaseId: p.databaseId })).toMatchObject({ size: total, profiles, surplus: 0 });
    const joiners = lowestByMd5([...gapIds, ...newcomers], 'mig', joined);
    expect(joiners.some((id) => gapIds.includes(id))).toBe(true);
    expect(memberIds(p)).toEqual([...members.filter((id) => id !== goneMember), ...joiners].sort());
    expect(Number(p.db().scalar('SELECT COUNT(*) FROM gcg_pending'))).toBe(0);
    expect(considered(p)).toEqual({ upTo: 637, count: profiles });
  });

  it('a high-water mark edited into something else makes the GCG refuse, naming it', async () => {
    const { p, path } = await savedWithGcg();
    await p.call('project/close', {});
    const edited = await alterProject(path, join(p.dir, 'edited.cplan'), "UPDATE gcg_settings SET considered_up_to = 'lots'");
    await p.call('project/open', { path: edited });
    const error = await expectEngineError(p.call('gcg/get', { databaseId: p.databaseId }), 'CORRUPT_FILE');
    expect(error.message).toMatch(/global control group of database \d+ \(considered_up_to\)/);
  });

  it('a file listing profiles above the mark as pending or as members still grows, each profile once', async () => {
    const { p, path } = await savedWithGcg();
    const members = memberIds(p);
    await p.call('project/close', {});
    const id = p.databaseId;
    const newcomers = idsFrom(1, 20, 'x');
    // 557 profiles: controlTotal 56, one short once the file's extra member counts; that member
    // is the very newcomer the rule picks, and two newcomers are listed as pending too.
    const [first] = lowestByMd5(newcomers, 'mig', 1);
    const edited = await alterProject(
      path,
      join(p.dir, 'above.cplan'),
      `INSERT INTO profiles_${id} (profile_id) VALUES ${newcomers.map((x) => `('${x}')`).join(', ')};
       INSERT INTO gcg_pending (database_id, profile_key) VALUES (${id}, 538), (${id}, 539);
       INSERT INTO gcg_members (database_id, profile_key) SELECT ${id}, rowid FROM profiles_${id} WHERE profile_id = '${first}';`,
    );
    await p.call('project/open', { path: edited });
    expect(members.length + 1).toBe(controlTotal(557, { percent: 10 }) - 1);
    expect(await p.call('gcg/get', { databaseId: id })).toMatchObject({ profiles: 557, size: members.length + 1 });
    expect(considered(p)).toEqual({ upTo: 557, count: 557 });
    expect(memberIds(p)).toEqual([...members, first!].sort());
  });
});
