import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../../../shared/contract/errors';
import { compileCondition, profilesWithAtLeast } from '../../../../main/engine/conditions/compile';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';
import { setClock, startConditionProject, type ConditionProject } from './helpers';

// Profiles (clock Monday 2026-04-10 10:00; events exist up to 10:00:59):
//   ann Moscow, 3 purchases, born 2000-04-12 (25), registered 04-09 12:00, vip, gold, subscribed
//   bob Kazan, 1, born 2006-04-10 (20 today), registered 01-05, not vip, silver, bounced
//   cat no values at all, unconfirmed
//   dan "Moscow region", 0, born 2004-02-29 (22), registered 04-10 10:30 (after the clock), bronze, unsubscribed
//   eve "St Petersburg", 2.5, born 1990-12-31 (35), registered 2025-12-31 23:59:59, vip, subscribed
let p: ConditionProject;
beforeAll(async () => {
  p = await startConditionProject();
});

function refusal(text: string): EngineError {
  try {
    p.where(text);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error(`"${text}" was not refused`);
}

describe('field leaves give the hand-computed profiles', () => {
  it.each([
    // text
    ['city is "Moscow"', ['ann']],
    ['city = "Moscow"', ['ann']],
    ['city is not "Moscow"', ['bob', 'dan', 'eve']],
    ['not (city is "Moscow")', ['bob', 'cat', 'dan', 'eve']],
    ['city contains "Moscow"', ['ann', 'dan']],
    ['city contains "moscow"', []],
    ['city starts with "St"', ['eve']],
    ['city in ("Moscow", "Kazan")', ['ann', 'bob']],
    ['city one of ("Kazan")', ['bob']],
    ['city is empty', ['cat']],
    ['city is not empty', ['ann', 'bob', 'dan', 'eve']],
    ['"first name" is "Ann"', ['ann']],
    ['"FIRST NAME" is empty', ['cat', 'dan']],
    ['profile_id starts with "a"', ['ann']],
    // number
    ['purchases = 1', ['bob']],
    ['purchases != 1', ['ann', 'dan', 'eve']],
    ['purchases < 1', ['dan']],
    ['purchases <= 1', ['bob', 'dan']],
    ['purchases > 2.5', ['ann']],
    ['purchases >= 2.5', ['ann', 'eve']],
    ['purchases ≥ 2.5', ['ann', 'eve']],
    ['purchases between 1 and 2.5', ['bob', 'eve']],
    ['purchases in (0, 3)', ['ann', 'dan']],
    ['purchases is empty', ['cat']],
    // date
    ['born is 2006-04-10', ['bob']],
    ['born before 2000-04-12', ['eve']],
    ['born after 2004-02-29', ['bob']],
    ['born between 2000-04-12 and 2004-02-29', ['ann', 'dan']],
    ['born in last 240 months', ['bob']],
    ['born in next 3 days', []],
    ['born age between 20 and 22', ['bob', 'dan']],
    ['born age between 25 and 25', ['ann']],
    ['born age between 26 and 35', ['eve']],
    ['born age between 0 and 19', []],
    ['born birthday within 2 days', ['ann', 'bob']],
    ['born birthday within 1 day', ['bob']],
    ['born birthday within 0 days', ['bob']],
    // date-time: relative to the clock (10:00), dates as whole days
    ['registered in last 1 day', ['ann']],
    ['registered in next 1 day', ['dan']],
    ['registered in last 3 months', ['ann']],
    ['registered in last 4 months', ['ann', 'bob', 'eve']],
    ['registered in last 2 weeks', ['ann']],
    ['registered before 2026-01-01', ['eve']],
    ['registered after 2026-04-09', ['dan']],
    ['registered after 2026-04-09T12:00', ['dan']],
    ['registered before 2026-04-09T12:00:01', ['bob', 'eve', 'ann'].sort()],
    ['registered between 2025-12-31 and 2026-01-05', ['bob', 'eve']],
    ['registered between 2026-04-09T12:00 and 2026-04-10T10:30', ['ann', 'dan']],
    ['registered age between 0 and 1', ['ann', 'bob', 'dan', 'eve']],
    // yes/no, list, subscription
    ['vip is yes', ['ann', 'eve']],
    ['vip is no', ['bob']],
    ['vip is not yes', ['bob']],
    ['not (vip is yes)', ['bob', 'cat', 'dan']],
    ['vip is empty', ['cat', 'dan']],
    ['tier is "gold"', ['ann']],
    ['tier in ("silver", "bronze")', ['bob', 'dan']],
    ['tier is not "gold"', ['bob', 'dan']],
    ['tier is empty', ['cat', 'eve']],
    ['subscription_status is subscribed', ['ann', 'eve']],
    ['subscription_status in (bounced, unconfirmed)', ['bob', 'cat']],
    ['subscription_status is not subscribed', ['bob', 'cat', 'dan']],
  ])('%s', (text, expected) => {
    expect(p.where(text)).toEqual(expected);
  });
});

describe('event leaves count only events up to the clock minute', () => {
  it.each([
    ['event purchase', ['ann', 'bob', 'dan']],
    ['event purchase ever', ['ann', 'bob', 'dan']],
    ['no event purchase', ['cat', 'eve']],
    ['event purchase count >= 2 in last 30 days', ['ann']],
    ['event purchase count >= 3 in last 30 days', ['ann']],
    ['event purchase count >= 4', []],
    ['event purchase count >= 2', ['ann', 'dan']],
    ['no event purchase count >= 2', ['bob', 'cat', 'eve']],
    ['not (event purchase count >= 2 in last 30 days) and event purchase', ['bob', 'dan']],
    ['event purchase in last 30 days', ['ann', 'dan']],
    ['event purchase in last 1 day', ['ann']],
    ['no event purchase in last 1 day', ['bob', 'cat', 'dan', 'eve']],
    ['event purchase sum(amount) >= 1300', ['ann']],
    ['event purchase sum(amount) >= 301', ['ann']],
    ['event purchase max(amount) >= 300', ['ann', 'bob']],
    ['event purchase max(amount) >= 50 in last 1 month', ['ann', 'dan']],
    ['event purchase between 2026-01-01 and 2026-03-12', ['bob', 'dan']],
    ['event purchase between 2026-03-20 and 2026-04-10', ['ann']],
    ['event purchase between 2026-03-11T09:59:30 and 2026-03-12T09:59:59', ['dan']],
    ['event open', ['ann']],
    ['event "click" ever', ['eve']],
    ['event visit', []],
  ])('%s', (text, expected) => {
    expect(p.where(text)).toEqual(expected);
  });

  it('lets events in as the clock reaches them', () => {
    const db = p.db();
    try {
      setClock(db, '2026-04-10T10:01');
      expect(p.where('event purchase sum(amount) >= 5000 in last 1 day')).toEqual(['bob']);
      setClock(db, '2026-01-15T00:00');
      expect(p.where('event purchase')).toEqual(['bob']);
      setClock(db, '2026-01-14T23:59');
      expect(p.where('event purchase')).toEqual([]);
    } finally {
      setClock(db, '2026-04-10T10:00');
    }
  });
});

describe('"at least k events" counted per profile', () => {
  it('counts integer keys only, by key or by sorting, with the same result', async () => {
    const db = SqlDb.create(await loadSqlJs());
    db.exec(`CREATE TABLE e (profile_key);
             INSERT INTO e VALUES (3), (1), (3), (7), (3), (1), (9), ('x'), ('x'), (2.5), (2.5), (7)`);
    const all = 'SELECT e.profile_key FROM e';
    expect(profilesWithAtLeast(db, all, [], 2)).toEqual([1, 3, 7]);
    expect(profilesWithAtLeast(db, all, [], 3)).toEqual([3]);
    // More than 255 (counted by sorting), and keys no array holds (a file from someone else).
    db.exec(`INSERT INTO e SELECT 5 FROM json_each(json('[${Array(300).fill(0).join(',')}]')); INSERT INTO e VALUES (-4), (-4), (${2 ** 40}), (${2 ** 40})`);
    expect(profilesWithAtLeast(db, all, [], 300)).toEqual([5]);
    expect(profilesWithAtLeast(db, all, [], 2)).toEqual([-4, 1, 3, 5, 7, 2 ** 40]);
    expect(profilesWithAtLeast(db, 'SELECT e.profile_key FROM e WHERE e.profile_key > ?', [2], 2)).toEqual([3, 5, 7, 2 ** 40]);
  });
});

describe('membership leaves', () => {
  it.each([
    ['in segment "VIP"', ['ann', 'eve']],
    ['in segment "vip"', ['ann', 'eve']],
    ['not in segment "VIP"', ['bob', 'cat', 'dan']],
    ['in campaign "Spring sale"', ['ann', 'bob', 'dan']],
    ['in campaign "Spring sale" test', ['ann', 'dan']],
    ['in campaign "Spring sale" lcg', ['bob']],
    ['not in campaign "Spring sale" lcg', ['ann', 'cat', 'dan', 'eve']],
    ['in campaign "Spring sale" gcg', []],
  ])('%s', (text, expected) => {
    expect(p.where(text)).toEqual(expected);
  });

  it('finds segments and campaigns by id', () => {
    expect(p.where(`in segment #${p.vipSegment}`)).toEqual(['ann', 'eve']);
    expect(p.where(`in campaign #${p.spring} lcg`)).toEqual(['bob']);
  });

  it('gives the GCG members a campaign holds out: of its segment, none when it is exempt', async () => {
    const db = p.db();
    const id = p.databaseId;
    db.run(
      `INSERT INTO gcg_settings (database_id, percent_bp, seed, formed_clock, considered_up_to, considered)
         SELECT ?, 4000, 's', '2026-04-10T10:00', MAX(rowid), COUNT(*) FROM profiles_${id}`,
      [id],
    );
    db.run(`INSERT INTO gcg_members (database_id, profile_key) SELECT ?, rowid FROM profiles_${id} WHERE profile_id IN ('cat', 'eve')`, [id]);
    const { insertCampaign } = await import('../segments/helpers');
    insertCampaign(db, { name: 'VIP offer', databaseId: id, segmentId: p.vipSegment });
    insertCampaign(db, { name: 'Exempt', databaseId: id, segmentId: p.allSegment, exempt: true });
    try {
      expect(p.where('in campaign "Spring sale" gcg')).toEqual(['cat', 'eve']);
      expect(p.where('in campaign "VIP offer" gcg')).toEqual(['eve']);
      expect(p.where('in campaign "Exempt" gcg')).toEqual([]);
      expect(p.where('not in campaign "Exempt" gcg')).toEqual(['ann', 'bob', 'cat', 'dan', 'eve']);
    } finally {
      db.run("DELETE FROM campaigns WHERE name IN ('VIP offer', 'Exempt')");
      db.run('DELETE FROM gcg_members');
      db.run('DELETE FROM gcg_settings');
    }
  });
});

describe('groups', () => {
  it.each([
    ['(city is "Moscow" or vip is yes) and not (event purchase)', ['eve']],
    ['city is "Moscow" or vip is yes and no event purchase', ['ann', 'eve']],
    ['not (not (city contains "Moscow") and purchases >= 1)', ['ann', 'cat', 'dan']],
    ['not (city is "Kazan" or city is empty)', ['ann', 'dan', 'eve']],
    ['in segment "VIP" and (event purchase in last 30 days or event click)', ['ann', 'eve']],
  ])('%s', (text, expected) => {
    expect(p.where(text)).toEqual(expected);
  });
});

describe('a 29 February birthday', () => {
  it('counts on 1 March in a year without one, for ages and birthdays', () => {
    const db = p.db();
    try {
      setClock(db, '2027-02-27T09:00');
      expect(p.where('born birthday within 2 days')).toEqual(['dan']);
      expect(p.where('born birthday within 1 day')).toEqual([]);
      setClock(db, '2027-02-28T09:00');
      expect(p.where('born age between 22 and 22')).toEqual(['dan']);
      setClock(db, '2027-03-01T09:00');
      expect(p.where('born age between 23 and 23')).toEqual(['dan']);
      expect(p.where('born birthday within 0 days')).toEqual(['dan']);
      setClock(db, '2028-02-28T09:00');
      expect(p.where('born birthday within 1 day')).toEqual(['dan']);
    } finally {
      setClock(db, '2026-04-10T10:00');
    }
  });
});

describe('a leaf the database cannot evaluate', () => {
  it('is refused, naming the leaf and its place in the text', () => {
    const e = refusal('city is "Moscow" and\n  colour is "red"');
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe('The condition "colour is "red"" (line 2, column 3) cannot be evaluated: There is no field "colour" in this database (it may have been removed or renamed).');
    expect(e.details).toMatchObject({ leaf: 'colour is "red"', line: 2, column: 3, excerpt: '  colour is "red"\n  ^' });
  });

  it.each([
    ['city > 3', /"city" is a string field; ">" is for other fields \(a string field takes: is \(=\), is not \(!=\), contains, starts with, in \(…\), is empty, is not empty\)/],
    ['tier contains "go"', /"tier" is an enum field; "contains" is for other fields \(an enum field takes: is \(=\), is not \(!=\), in \(…\), is empty, is not empty\)/],
    ['purchases is "x"', /"purchases" is a number field: give a number, not "x"/],
    ['vip contains "y"', /"vip" is a boolean field/],
    ['vip is "yes"', /yes\/no field: give yes or no/],
    ['born before 2026-01-01T10:00', /date field: give a date without a time/],
    ['born between 1 and 2', /give a date like 2026-04-10, not 1/],
    ['purchases between 2026-01-01 and 2026-02-01', /number field: give numbers/],
    ['tier is "platinum"', /"platinum" is not a value of "tier" \(its values: gold, silver, bronze\)/],
    ['born age between 30 and 20', /wrong way round/],
    ['registered is 2026-01-01', /"registered" is a datetime field; "is \(=\)" is for other fields/],
    ['in segment "Nope"', /There is no segment "Nope" in this database/],
    ['in segment #999', /There is no segment #999/],
    ['in campaign "Nope" lcg', /There is no campaign "Nope"/],
  ])('%s', (text, message) => {
    const e = refusal(text);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(message);
    expect(e.details?.leaf).toBe(text);
  });

  it('names the leaf in canonical text when the condition came as a tree', () => {
    expect(() => compileCondition(p.db(), p.databaseId, { kind: 'not', item: { kind: 'field', field: 'gone', test: { op: 'empty' } } })).toThrow(
      'The condition "gone is empty" cannot be evaluated: There is no field "gone" in this database',
    );
  });

  it('refuses a campaign name two campaigns share, and a campaign of another database', async () => {
    const db = p.db();
    const { insertCampaign } = await import('../segments/helpers');
    const twin = insertCampaign(db, { name: 'spring SALE', databaseId: p.databaseId, segmentId: p.allSegment });
    const other = await p.call('database/create', { name: 'Other' });
    const otherSegment = await p.call('segment/create', { databaseId: other.id, name: 'x', from: { kind: 'empty' } });
    const away = insertCampaign(db, { name: 'Away', databaseId: other.id, segmentId: otherSegment.segment.id });
    try {
      expect(refusal('in campaign "Spring sale"').message).toMatch(/2 campaigns are named "Spring sale": name one by its id/);
      expect(refusal('in campaign "Away"').message).toMatch(/on another database/);
      expect(refusal(`in segment #${otherSegment.segment.id}`).message).toMatch(/no segment #\d+ in this database/);
    } finally {
      db.run('DELETE FROM campaigns WHERE id IN (?, ?)', [twin, away]);
    }
  });
});

describe('values reach SQLite only as parameters', () => {
  it('keeps quotes and SQL in values as plain text', () => {
    const compiled = compileCondition(p.db(), p.databaseId, { kind: 'field', field: 'city', test: { op: 'eq', value: "x' OR 1=1 --" } });
    expect(compiled.sql).not.toContain('OR 1=1');
    expect(compiled.params).toContain("x' OR 1=1 --");
    expect(p.where('city is "x\' OR 1=1 --"')).toEqual([]);
  });
});
