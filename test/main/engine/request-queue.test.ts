import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs/promises';
import { RequestQueue } from '../../../main/engine/request-queue';
import { startTestEngine, type TestEngine } from '../../helpers/engine';

/** A queue, the order things ran in, calls that note their name, and the calls asked during a long read. */
function steppedQueue() {
  const order: string[] = [];
  const run = (name: string) => async () => {
    order.push(name);
    return name;
  };
  return { queue: new RequestQueue(), order, run, behind: [] as Promise<string>[] };
}

describe('the order in which the engine takes waiting calls', () => {
  it('arrival order, except that a long read lets every other waiting call go first; a started call runs to its end', async () => {
    const queue = new RequestQueue();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = (name: string, wait?: Promise<void>) => async () => {
      order.push(`start ${name}`);
      await wait;
      order.push(`end ${name}`);
      return name;
    };
    const sort = queue.enqueue(run('sort', held), true);
    // It starts once the caller's code has run.
    expect(order).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['start sort']);
    const all = [
      sort,
      queue.enqueue(run('second sort'), true),
      queue.enqueue(run('rename')),
      queue.enqueue(run('members page')),
      queue.enqueue(run('third sort'), true),
      queue.enqueue(run('create')),
    ];
    expect(queue.length).toBe(5);
    release();
    expect(await Promise.all(all)).toEqual(['sort', 'second sort', 'rename', 'members page', 'third sort', 'create']);
    expect(order).toEqual([
      'start sort',
      'end sort',
      'start rename',
      'end rename',
      'start members page',
      'end members page',
      'start create',
      'end create',
      'start second sort',
      'end second sort',
      'start third sort',
      'end third sort',
    ]);
    await queue.idle();
    expect(queue.length).toBe(0);
  });

  it('a long read lets the short reads waiting behind it run between two of its steps; writes and other long reads wait for its end', async () => {
    const { queue, order, run, behind } = steppedQueue();
    const sort = queue.enqueue(async () => {
      order.push('sort, step 1');
      behind.push(queue.enqueue(run('write')), queue.enqueue(run('members page'), false, true), queue.enqueue(run('second sort'), true), queue.enqueue(run('card'), false, true));
      await queue.letShortReadsPass();
      order.push('sort, step 2');
      // Nothing waits that may pass: it goes on at once.
      await queue.letShortReadsPass();
      order.push('sort, step 3');
      return 'sort';
    }, true);
    expect(await sort).toBe('sort');
    expect(await Promise.all(behind)).toEqual(['write', 'members page', 'second sort', 'card']);
    expect(order).toEqual(['sort, step 1', 'members page', 'card', 'sort, step 2', 'sort, step 3', 'write', 'second sort']);
    await queue.idle();
  });

  it('a read that starts again after a change may let every waiting call but the long reads run in its pause, in their order', async () => {
    const { queue, order, run, behind } = steppedQueue();
    const list = queue.enqueue(async () => {
      order.push('list, step 1');
      behind.push(queue.enqueue(run('rename')), queue.enqueue(run('sort'), true), queue.enqueue(run('members page'), false, true), queue.enqueue(run('create')));
      await queue.letWaitingCallsPass();
      order.push('list, step 2');
      return 'list';
    }, true);
    expect(await list).toBe('list');
    await Promise.all(behind);
    expect(order).toEqual(['list, step 1', 'rename', 'members page', 'create', 'list, step 2', 'sort']);
  });

  it('a failed call does not stop the ones after it', async () => {
    const queue = new RequestQueue();
    const failed = queue.enqueue(() => Promise.reject(new Error('no')));
    const next = queue.enqueue(() => Promise.resolve('yes'));
    await expect(failed).rejects.toThrow('no');
    expect(await next).toBe('yes');
  });
});

let t: TestEngine | null = null;
afterEach(async () => {
  await t?.engine.dispose();
  t = null;
});

describe('on a real engine', () => {
  it('a rename asked while a sorted page of profiles waits is answered before that page', async () => {
    t = await startTestEngine();
    const engine = t;
    await engine.call('demo/create', { profiles: 2000, seed: 'queue', discard: true });
    const [database] = await engine.call('database/list', {});
    if (!database) throw new Error('no database');
    const answered: string[] = [];
    const note = <T>(name: string, call: Promise<T>) => call.then((value) => (answered.push(name), value));
    // The first call holds the engine; the two others wait behind it.
    const segment = note('segment', engine.call('segment/create', { databaseId: database.id, name: 'All', from: { kind: 'all' } }));
    const page = note('page', engine.call('profile/list', { databaseId: database.id, offset: 0, limit: 10, sort: { by: 'profileId', direction: 'desc' } }));
    const rename = note('rename', engine.call('project/update', { name: 'Renamed' }));
    await Promise.all([segment, page, rename]);
    expect(answered).toEqual(['segment', 'rename', 'page']);
    expect((await page).total).toBe(2000);
  });
});

describe('a first sort of many profiles', () => {
  it('is read in steps: a members page asked meanwhile is answered before it, a write after it; its pages are those of the whole order', async () => {
    t = await startTestEngine();
    const engine = t;
    await engine.call('project/new', { name: 'Sorts' });
    const database = await engine.call('database/create', { name: 'Big', fields: [{ name: 'score', type: 'number' }, { name: 'city', type: 'string' }] });
    const [score, city] = database.fields;
    if (!score || !city) throw new Error('no fields');
    // More profiles than one step of the sort (65,536 rowids), with ties and empty values.
    engine.engine.state.requireSession().db.run(
      `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 150000)
       INSERT INTO profiles_${database.id} (profile_id, f_${score.id}, f_${city.id})
       SELECT printf('P%06d', i), CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 1009 END, CASE i % 3 WHEN 0 THEN 'Kazan' WHEN 1 THEN 'Moscow' END FROM seq`,
    );
    const { segment } = await engine.call('segment/create', { databaseId: database.id, name: 'All', from: { kind: 'all' } });
    await engine.call('segment/members', { segmentId: segment.id, offset: 0, limit: 10 });

    const answered: string[] = [];
    const note = <T>(name: string, call: Promise<T>) => call.then((value) => (answered.push(name), value));
    const sort = { by: score.id, direction: 'desc' } as const;
    const first = note('first page', engine.call('profile/list', { databaseId: database.id, offset: 0, limit: 200, sort }));
    const second = note('second page', engine.call('profile/list', { databaseId: database.id, offset: 200, limit: 200, sort }));
    // Asked once the sort has started.
    await new Promise((resolve) => setImmediate(resolve));
    const rename = note('rename', engine.call('project/update', { name: 'Renamed' }));
    const members = note('members page', engine.call('segment/members', { segmentId: segment.id, offset: 100_000, limit: 5 }));
    const [firstPage, secondPage, , membersPage] = await Promise.all([first, second, rename, members]);
    expect(answered.indexOf('members page')).toBeLessThan(answered.indexOf('first page'));
    expect(answered.indexOf('rename')).toBeGreaterThan(answered.indexOf('first page'));
    expect(membersPage.rows.map((r) => r.profileId)).toEqual(['P100001', 'P100002', 'P100003', 'P100004', 'P100005']);

    // The same rows as the whole order, built when the user scrolls deep (and then read from it).
    const quick = [...firstPage.rows, ...secondPage.rows].map((r) => r.profileId);
    await engine.call('profile/list', { databaseId: database.id, offset: 5000, limit: 10, sort });
    const whole = await engine.call('profile/list', { databaseId: database.id, offset: 0, limit: 400, sort });
    expect(quick).toEqual(whole.rows.map((r) => r.profileId));
    expect(firstPage.total).toBe(150_000);
    const expected = engine.engine.state
      .requireSession()
      .db.all<{ id: string }>(`SELECT profile_id AS id FROM profiles_${database.id} ORDER BY f_${score.id} DESC NULLS LAST, rowid LIMIT 400`)
      .map((r) => r.id);
    expect(quick).toEqual(expected);
  });
});

describe('the segments list', () => {
  it('lets a write asked meanwhile go first, then reads everything again: it shows the write', async () => {
    t = await startTestEngine();
    const engine = t;
    await engine.call('demo/create', { profiles: 3000, seed: 'list', discard: true });
    const [database] = await engine.call('database/list', {});
    if (!database) throw new Error('no database');
    for (const name of ['A', 'B', 'C']) await engine.call('segment/create', { databaseId: database.id, name, from: { kind: 'all' } });
    const segments = await engine.call('segment/list', {});
    const a = segments.find((s) => s.name === 'A');
    if (!a) throw new Error('no segment A');
    expect(a.usedBy.campaigns).toBe(0);

    const answered: string[] = [];
    const note = <T>(name: string, call: Promise<T>) => call.then((value) => (answered.push(name), value));
    const list = note('list', engine.call('segment/list', {}));
    // Asked once the list has started (a write waiting before it would go first anyway).
    await new Promise((resolve) => setImmediate(resolve));
    const create = note('create', engine.call('campaign/create', { name: 'Spring', databaseId: database.id, segmentId: a.id, lcg: { percent: '10', limit: null, strata: [] } }));
    const [listed] = await Promise.all([list, create]);
    expect(answered).toEqual(['create', 'list']);
    expect(listed.find((s) => s.id === a.id)?.usedBy.campaigns).toBe(1);
    expect(listed.map((s) => [s.name, s.size])).toEqual([
      ['A', 3000],
      ['B', 3000],
      ['C', 3000],
    ]);
  });
});

describe('the recovery copy', () => {
  it('is written to disk while other calls run: only its snapshot holds the engine', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writing: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      writing = resolve;
    });
    // The recovery folder's first write waits until the test lets it go.
    const slowFs = {
      ...fs,
      open: async (...args: Parameters<typeof fs.open>) => {
        if (String(args[0]).includes('recovery')) {
          writing();
          await held;
        }
        return fs.open(...args);
      },
    } as typeof fs;
    t = await startTestEngine({ fs: slowFs, recoveryDelayMs: 10 });
    await t.call('project/new', { name: 'Draft' });
    await t.call('project/update', { description: 'changed' });
    await started;
    // The copy is still being written, and the engine answers.
    expect((await t.call('project/update', { name: 'Renamed' })).name).toBe('Renamed');
    release();
    await t.engine.flushRecovery();
    expect((await t.call('recovery/list', {})).length).toBe(0); // the open project's own copy is not offered
    expect(t.engine.state.session?.hasRecoveryCopy).toBe(true);
  });
});

describe('memory after big work', () => {
  it('the engine collects garbage after a project closes or is replaced and after a long operation, not after a small change or a first project', async () => {
    let collected = 0;
    t = await startTestEngine({ collectGarbage: () => (collected += 1) });
    // Nothing was open: nothing to give back (a command that makes a project does not wait for a collection).
    await t.call('project/new', { name: 'One' });
    expect(collected).toBe(0);
    await t.call('project/update', { name: 'Two' });
    await t.call('project/state', {});
    expect(collected).toBe(0);
    await t.call('demo/create', { profiles: 100, seed: 'gc', discard: true }, 'demo-op');
    expect(collected).toBe(1);
    // A new project in place of an open one: the old one's memory goes.
    await t.call('project/new', { name: 'Replaced', discard: true });
    expect(collected).toBe(2);
    await t.call('project/close', { discard: true });
    expect(collected).toBe(3);
    // A recovery copy written: its snapshot, a copy of the whole project, goes at once.
    await t.call('project/new', { name: 'Three' });
    await t.call('project/update', { description: 'changed' });
    await t.engine.flushRecovery();
    expect(collected).toBe(4);
  });
});

describe('the recovery copy of a busy user', () => {
  it('waits for a pause in the calls, but never longer than ten times its delay', async () => {
    t = await startTestEngine({ recoveryDelayMs: 300 });
    const engine = t;
    await engine.call('project/new', { name: 'Busy' });
    const copied = () => engine.engine.state.session?.hasRecoveryCopy === true;
    await engine.call('project/update', { description: 'a change' });
    // Calls every 20 ms for a while (gaps well under the delay): no copy yet (each one puts it off).
    for (let i = 0; i < 30; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await engine.call('database/list', {});
    }
    expect(copied()).toBe(false);
    // Going on past ten delays in all: the copy is written anyway.
    const started = Date.now();
    while (!copied() && Date.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await engine.call('database/list', {});
    }
    expect(copied()).toBe(true);
  });
});
