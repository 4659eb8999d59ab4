import { beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { expectEngineError } from '../../../helpers/engine';
import { setClock, startConditionProject, type ConditionProject } from './helpers';

let p: ConditionProject;
beforeAll(async () => {
  p = await startConditionProject();
});

describe('segment/preview', () => {
  it('counts the matching profiles and shows the first, from text or a tree, changing nothing', async () => {
    const before = await p.call('project/state', {});
    const preview = await p.call('segment/preview', { databaseId: p.databaseId, where: 'event purchase  count >= 1 and not (city is "Kazan")', limit: 1 });
    expect(contract['segment/preview'].result.safeParse(preview).success).toBe(true);
    expect(preview).toMatchObject({ where: 'event purchase and not (city is "Kazan")', clock: '2026-04-10T10:00', total: 2 });
    expect(preview.page.rows.map((r) => r.profileId)).toEqual(['ann']);
    expect(preview.page.rows[0]!.values[preview.page.fieldIds.indexOf(p.field('city').id)]).toBe('Moscow');
    const tree = await p.call('segment/preview', { databaseId: p.databaseId, condition: { kind: 'field', field: 'vip', test: { op: 'eq', value: true } } });
    expect(tree.where).toBe('vip is yes');
    expect(tree.page.rows.map((r) => r.profileId)).toEqual(['ann', 'eve']);
    const after = await p.call('project/state', {});
    expect(after.open && before.open && after.dirty === before.dirty).toBe(true);
  });

  it('refuses text that does not read, with its place, and a leaf the database cannot evaluate', async () => {
    const syntax = await expectEngineError(p.call('segment/preview', { databaseId: p.databaseId, where: 'city is "Moscow" and purchases >> 2' }), 'INVALID_ARGUMENT');
    expect(syntax.message).toBe('The condition does not read at line 1, column 33: Expected a number, found ">".');
    expect(syntax.details).toMatchObject({ syntax: true, line: 1, column: 33 });
    const leaf = await expectEngineError(p.call('segment/preview', { databaseId: p.databaseId, where: 'vip is yes or colour is "red"' }), 'INVALID_ARGUMENT');
    expect(leaf.details).toMatchObject({ leaf: 'colour is "red"', column: 15 });
    await expectEngineError(p.call('segment/preview', { databaseId: p.databaseId, where: 'a = 1', condition: { kind: 'segment', in: true, segment: 'VIP' } }), 'INVALID_ARGUMENT');
    await expectEngineError(p.call('segment/preview', { databaseId: 999, where: 'a = 1' }), 'NOT_FOUND');
  });

  it('finds no events in a database that has none', async () => {
    const other = await p.call('database/create', { name: 'No events yet' });
    p.insert([{ id: 'x1' }, { id: 'x2' }], other.id);
    expect(await p.call('segment/preview', { databaseId: other.id, where: 'event purchase' })).toMatchObject({ total: 0 });
    expect(await p.call('segment/preview', { databaseId: other.id, where: 'no event purchase in last 7 days' })).toMatchObject({ total: 2 });
  });

  it('refuses a tree nested past the limit at the boundary', async () => {
    let deep: object = { kind: 'field', field: 'city', test: { op: 'empty' } };
    for (let i = 0; i < 10; i += 1) deep = { kind: 'not', item: deep };
    const reply = await p.raw('segment/preview', { databaseId: p.databaseId, condition: deep });
    expect(reply.ok).toBe(false);
    const e = reply.ok ? null : reply.error;
    expect(e?.code).toBe('INVALID_ARGUMENT');
    expect(e?.message).toMatch(/nests 11 levels deep; at most 10/);
  });
});

describe('segment/create from a condition, once', () => {
  it('keeps the profiles the condition gave on the clock, and records the condition and the clock', async () => {
    const made = await p.call('segment/create', { databaseId: p.databaseId, name: 'Buyers', from: { kind: 'condition', where: 'event purchase in last 1 day' } });
    expect(made.segment).toMatchObject({ kind: 'static', size: 1, source: { kind: 'condition', where: 'event purchase in last 1 day', clock: '2026-04-10T10:00' } });
    const db = p.db();
    try {
      // A minute later bob's purchase exists, but the snapshot does not move.
      setClock(db, '2026-04-10T10:01');
      expect(p.where('event purchase in last 1 day')).toEqual(['ann', 'bob']);
      const page = await p.call('segment/members', { segmentId: made.segment.id });
      expect(page.rows.map((r) => r.profileId)).toEqual(['ann']);
      const later = await p.call('segment/create', { databaseId: p.databaseId, name: 'Buyers 2', from: { kind: 'condition', condition: { kind: 'event', has: true, type: 'purchase', atLeast: 1, window: { kind: 'last', n: 1, unit: 'days' } } } });
      expect(later.segment).toMatchObject({ size: 2, source: { clock: '2026-04-10T10:01' } });
      expect(await p.call('segment/preview', { databaseId: p.databaseId, where: 'in segment "Buyers" and not in segment "Buyers 2"' })).toMatchObject({ total: 0 });
    } finally {
      setClock(db, '2026-04-10T10:00');
    }
  });

  it('creates nothing when the condition is refused', async () => {
    await expectEngineError(p.call('segment/create', { databaseId: p.databaseId, name: 'Bad', from: { kind: 'condition', where: 'tier is "platinum"' } }), 'INVALID_ARGUMENT');
    const list = await p.call('segment/list', { databaseId: p.databaseId });
    expect(list.map((s) => s.name)).not.toContain('Bad');
  });
});
