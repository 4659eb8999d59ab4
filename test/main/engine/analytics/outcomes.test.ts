/**
 * A campaign's outcome file (`analytics/importOutcomes`, `analytics/outcomes`) with the real
 * engine, real files and sql.js: the split's reader (ID column, CSV options, repeated IDs),
 * binary and continuous columns, unknown profiles reported and not kept, all or nothing
 * (a bad cell, a cancel), a new import replacing the old one, and the outcomes kept in the
 * saved project file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../shared/contract/errors';
import type { ProgressEvent } from '../../../../shared/contract/events';
import { MAX_OUTCOME_COLUMNS } from '../../../../shared/contract/analytics';
import { importOutcomes } from '../../../../main/engine/analytics/outcomes';
import { findOutcomeColumn, readOutcomeFile } from '../../../../main/engine/analytics/outcome-store';
import type { SqlDb } from '../../../../main/engine/sqlite/database';
import type { HandlerContext } from '../../../../main/engine/registry';
import { expectEngineError } from '../../../helpers/engine';
import { setClock } from '../conditions/helpers';
import { directContext, startCampaignProject, type CampaignProject } from '../campaigns/helpers';

/** A column of the campaign's outcome file as the analysis finds it (null: no file or no such column). */
function readOutcomeColumn(db: SqlDb, campaignId: number, column: string) {
  const file = readOutcomeFile(db, campaignId);
  return file && findOutcomeColumn(file, column);
}

interface OutcomeProject extends CampaignProject {
  readonly campaignId: number;
  /** Writes a CSV file in the project's folder; returns its path. */
  file(name: string, content: string): string;
  /** Every stored value as [profile ID, column index, value], by column and ID. */
  values(): [string, number, number][];
}

/** Profiles p1..p20 in one database, a segment of all of them and an inactive campaign on it. */
async function project(): Promise<OutcomeProject> {
  const t = await startCampaignProject();
  t.generate(20);
  const campaignId = await t.campaign(t.segment('Everyone'), { percent: '10', limit: null, strata: [] });
  return {
    ...t,
    campaignId,
    file(name, content) {
      const path = join(t.dir, name);
      writeFileSync(path, content);
      return path;
    },
    values() {
      return t
        .db()
        .all<{ id: string; c: number; v: number }>(
          `SELECT p.profile_id AS id, o.column_index AS c, o.value AS v FROM outcome_values o JOIN profiles_${t.databaseId} p ON p.rowid = o.profile_key
            WHERE o.campaign_id = ? ORDER BY o.column_index, p.profile_id`,
          [campaignId],
        )
        .map((r) => [String(r.id), Number(r.c), Number(r.v)]);
    },
  };
}

const stored = (t: OutcomeProject) => ({
  files: Number(t.db().scalar('SELECT COUNT(*) FROM outcome_files')),
  values: Number(t.db().scalar('SELECT COUNT(*) FROM outcome_values')),
});

describe('analytics/importOutcomes', () => {
  it('reads yes/no words and 0/1 as binary, other numbers as continuous; an empty cell is no value', async () => {
    const t = await project();
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toBeNull();
    const path = t.file('outcomes.csv', 'profile_id,bought,revenue,opened,empty\np1,yes,12.5,1,\np2,no,,0,\np3,Y,-3,,\np10,да,0,1,\n');
    const result = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path });
    expect(result).toEqual({
      campaignId: t.campaignId,
      fileName: 'outcomes.csv',
      importedAt: '2026-11-29T10:15:00.000Z',
      rows: 4,
      unknownProfiles: 0,
      unknownExamples: [],
      columns: [
        { name: 'bought', binary: true, values: 4 },
        { name: 'revenue', binary: false, values: 3 },
        { name: 'opened', binary: true, values: 3 },
        { name: 'empty', binary: false, values: 0 },
      ],
    });
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toEqual(result);
    expect(t.values()).toEqual([
      ['p1', 0, 1],
      ['p10', 0, 1],
      ['p2', 0, 0],
      ['p3', 0, 1],
      ['p1', 1, 12.5],
      ['p10', 1, 0],
      ['p3', 1, -3],
      ['p1', 2, 1],
      ['p10', 2, 1],
      ['p2', 2, 0],
    ]);
    // The analysis finds a column by name as the app compares names.
    const db = t.db();
    expect(readOutcomeColumn(db, t.campaignId, 'REVENUE')).toEqual({ binary: false, index: 1 });
    expect(readOutcomeColumn(db, t.campaignId, ' opened ')).toEqual({ binary: true, index: 2 });
    expect(readOutcomeColumn(db, t.campaignId, 'spend')).toBeNull();
    expect(readOutcomeColumn(db, 99, 'revenue')).toBeNull();
    expect(await t.call('project/state', {})).toMatchObject({ dirty: true });
  });

  it('reads the file as `cplan split` does: the ID column found by name or chosen, the CSV options', async () => {
    const t = await project();
    // A semicolon file with a decimal comma; the ID column is not the first.
    const semi = t.file('semi.csv', 'amount;customer_id\n"1 234,5";p4\n0,25;p5\n');
    const first = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: semi, options: { decimalSeparator: ',' } });
    expect(first.columns).toEqual([{ name: 'amount', binary: false, values: 2 }]);
    expect(t.values()).toEqual([
      ['p4', 0, 1234.5],
      ['p5', 0, 0.25],
    ]);
    // No column named like an ID: the user chooses it, by name or 0-based index.
    const plain = t.file('plain.csv', 'who,converted\np6,1\np7,0\n');
    const unnamed = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: plain }), 'INVALID_ARGUMENT');
    expect(unnamed.message).toMatch(/No column is named like an ID .*choose the ID column/);
    expect((await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: plain, idColumn: 'WHO' })).columns).toEqual([{ name: 'converted', binary: true, values: 2 }]);
    expect((await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: plain, idColumn: 0 })).rows).toBe(2);
  });

  it('counts IDs of unknown profiles, keeps the first ten as examples, and stores none of them', async () => {
    const t = await project();
    const unknown = Array.from({ length: 12 }, (_, i) => `x${i + 1}`);
    const lines = ['id,spend', 'p1,5', ...unknown.map((id, i) => `${id},${i}`), 'p2,7'];
    const result = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('some.csv', `${lines.join('\n')}\n`) });
    expect(result).toMatchObject({ rows: 14, unknownProfiles: 12, unknownExamples: unknown.slice(0, 10), columns: [{ name: 'spend', binary: false, values: 2 }] });
    expect(t.values()).toEqual([
      ['p1', 0, 5],
      ['p2', 0, 7],
    ]);
    // A file of no known profile at all is the wrong file or the wrong ID column.
    const none = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('none.csv', 'id,spend\nq1,1\nq2,2\n') }), 'REFUSED');
    expect(none.message).toBe(`None of the 2 IDs of "none.csv" is a profile of the campaign's database (such as "q1", "q2"): is "id" the profile ID column, and is it the right file? Nothing was imported.`);
    expect(t.values()).toHaveLength(2);
  });

  it('refuses a text or date cell, naming the row, the column and the value, and writes nothing', async () => {
    const t = await project();
    await t.call('project/saveAs', { path: join(t.dir, 'saved.cplan') });
    const text = await expectEngineError(
      t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('text.csv', 'id,spend,segment\np1,3,gold\np2,4,\np3,5,silver\n') }),
      'REFUSED',
    );
    expect(text.message).toBe(
      'Row 2, column "segment": "gold" is neither a number (the decimal separator is ".") nor yes/no. An outcome column holds numbers, or 0/1 or yes/no for a binary outcome; nothing was imported.',
    );
    expect(text.details).toMatchObject({ row: 2, column: 'segment', value: 'gold' });
    const date = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('date.csv', 'id,bought_on\np1,\np2,2026-03-01\n') }), 'REFUSED');
    expect(date.message).toMatch(/^Row 3, column "bought_on": "2026-03-01" is neither a number/);
    const mixed = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('mixed.csv', 'id,score\np1,yes\np2,0\np3,2.5\n') }), 'REFUSED');
    expect(mixed.message).toMatch(/^Column "score" mixes yes\/no words \(row 2: "yes"\) with numbers other than 0 and 1 \(row 4: "2.5"\)/);
    expect(stored(t)).toEqual({ files: 0, values: 0 });
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toBeNull();
    expect(await t.call('project/state', {})).toMatchObject({ dirty: false });
  });

  it('refuses a repeated ID, saying which rows', async () => {
    const t = await project();
    const error = await expectEngineError(
      t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('twice.csv', 'id,spend\np1,1\np2,2\n p1 ,3\np3,4\np2,5\n') }),
      'REFUSED',
    );
    expect(error.message).toBe(`2 IDs appear more than once, so each profile's outcome would not be well defined: "p1" in rows 2 and 4; "p2" in rows 3 and 6.`);
    expect(stored(t)).toEqual({ files: 0, values: 0 });
  });

  it('refuses an empty file, a file without outcome columns, with too many, or with two of one name', async () => {
    const t = await project();
    const empty = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('empty.csv', '') }), 'REFUSED');
    expect(empty.message).toBe('"empty.csv" is empty: there is nothing to import.');
    const only = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('ids.csv', 'id\np1\n') }), 'REFUSED');
    expect(only.message).toMatch(/only the ID column "id": an outcome file needs one or more outcome columns/);
    const header = ['id', ...Array.from({ length: MAX_OUTCOME_COLUMNS + 1 }, (_, i) => `c${i}`)].join(',');
    const wide = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('wide.csv', `${header}\n`) }), 'REFUSED');
    expect(wide.message).toMatch(`has ${MAX_OUTCOME_COLUMNS + 1} outcome columns; an outcome file may have at most ${MAX_OUTCOME_COLUMNS}`);
    const twice = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('same.csv', 'id,Spend,spend\np1,1,2\n') }), 'REFUSED');
    expect(twice.message).toBe('Columns 2 and 3 are both named "Spend": rename one, so a metric can name each.');
    await expectEngineError(t.call('analytics/importOutcomes', { campaignId: 99, path: t.file('x.csv', 'id,a\np1,1\n') }), 'NOT_FOUND');
    await expectEngineError(t.call('analytics/outcomes', { campaignId: 99 }), 'NOT_FOUND');
    expect(stored(t)).toEqual({ files: 0, values: 0 });
  });

  it('a new import replaces the earlier one whole; a failed one keeps it', async () => {
    const t = await project();
    await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('one.csv', 'id,bought,spend\np1,1,10\np2,0,20\np3,1,30\n') });
    const second = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('two.csv', 'id,visits\np3,4\np4,5\n') });
    expect(second).toMatchObject({ fileName: 'two.csv', rows: 2, columns: [{ name: 'visits', binary: false, values: 2 }] });
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toEqual(second);
    expect(t.values()).toEqual([
      ['p3', 0, 4],
      ['p4', 0, 5],
    ]);
    await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('bad.csv', 'id,visits\np1,7\np2,many\n') }), 'REFUSED');
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toEqual(second);
    expect(t.values()).toHaveLength(2);
    // Another campaign's outcomes are its own.
    const other = await t.campaign(t.segment('All again'), { percent: '10', limit: null, strata: [] }, 's2', 'Autumn');
    await t.call('analytics/importOutcomes', { campaignId: other, path: t.file('three.csv', 'id,visits\np9,3\n') });
    expect(t.values()).toHaveLength(2);
    expect(readOutcomeColumn(t.db(), other, 'visits')).toEqual({ binary: false, index: 0 });
  });

  it('a cancel, even after every value is written, leaves nothing, or the earlier outcome file as it was', async () => {
    const t = await project();
    const path = t.file('many.csv', `id,spend,bought\n${Array.from({ length: 20 }, (_, i) => `p${i + 1},${i},${i % 2}`).join('\n')}\n`);
    /** Imports `many.csv` directly, cancelled when the import reaches `phase`. */
    const cancelledAt = async (stopAt: string) => {
      const controller = new AbortController();
      const phases: string[] = [];
      const ctx: HandlerContext = {
        ...directContext(t),
        signal: controller.signal,
        progress: (phase) => {
          phases.push(phase);
          if (phase === stopAt) controller.abort();
        },
        checkpoint: async () => {
          if (controller.signal.aborted) throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
        },
      };
      await expect(importOutcomes({ campaignId: t.campaignId, path }, ctx)).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(phases.at(-1)).toBe(stopAt);
    };
    await cancelledAt('Finishing');
    expect(stored(t)).toEqual({ files: 0, values: 0 });
    const first = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('one.csv', 'id,spend\np1,10\n') });
    for (const stopAt of ['Reading the outcome file', 'Matching the profiles', 'Writing the outcomes', 'Finishing']) {
      await cancelledAt(stopAt);
      expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toEqual(first);
      expect(t.values()).toEqual([['p1', 0, 10]]);
    }
  });

  it('reports progress through the engine while it reads and writes', async () => {
    const t = await project();
    const path = t.file('many.csv', `id,spend\n${Array.from({ length: 20 }, (_, i) => `p${i + 1},${i}`).join('\n')}\n`);
    await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path }, 'op-outcomes');
    const phases = t.events.filter((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'op-outcomes').map((e) => (e.payload as ProgressEvent).phase);
    expect(new Set(phases)).toEqual(new Set(['Reading the outcome file', 'Matching the profiles', 'Writing the outcomes', 'Finishing']));
  });

  it('is refused for a campaign in the recycle bin', async () => {
    const t = await project();
    await t.call('campaign/delete', { campaignId: t.campaignId });
    const error = await expectEngineError(t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('a.csv', 'id,a\np1,1\n') }), 'REFUSED');
    expect(error.message).toMatch(/in the recycle bin: restore it before importing its outcomes/);
  });
});

describe('an outcome column as a metric', () => {
  it('is analysed with the rate of each group among its profiles with a row, unknown IDs warned about', async () => {
    const t = await startCampaignProject();
    t.generate(200);
    setClock(t.db(), '2026-01-05T10:00');
    const campaignId = await t.campaign(t.segment('Everyone'), { percent: '20', limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId });
    // Rows for p1..p150 only (the rest have no outcome) and two IDs of no profile.
    const rows = Array.from({ length: 150 }, (_, k) => `p${k + 1},${(k + 1) % 3 === 0 ? 'yes' : 'no'}`);
    const path = join(t.dir, 'conv.csv');
    writeFileSync(path, `profile_id,Converted\n${rows.join('\n')}\nghost1,yes\nghost2,no\n`);
    await t.call('analytics/importOutcomes', { campaignId, path });
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'outcome', column: 'converted' }, save: false });
    expect(result.binary).toBe(true);
    const groups = t.groups(campaignId);
    for (const [name, grp] of [['test', 'test'], ['lcg', 'control']] as const) {
      const members = [...groups].filter(([, g]) => g === grp).map(([id]) => Number(id.slice(1)));
      const withRow = members.filter((i) => i <= 150);
      expect(result.groups.find((g) => g.group === name)).toMatchObject({
        profiles: members.length,
        withOutcome: withRow.length,
        missing: members.length - withRow.length,
        sum: withRow.filter((i) => i % 3 === 0).length,
      });
    }
    expect(result.warnings.find((w) => w.kind === 'unknown_profiles')?.text).toMatch(/2 IDs of no profile/);
  });
});

describe('the outcome file in the project file', () => {
  it('is kept when the project is saved and opened again', async () => {
    const t = await project();
    const imported = await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('o.csv', 'id,bought,spend\np1,yes,1.5\np2,no,\nx9,1,2\n') });
    const values = t.values();
    const path = join(t.dir, 'kept.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/close', {});
    await t.call('project/open', { path });
    expect(await t.call('analytics/outcomes', { campaignId: t.campaignId })).toEqual(imported);
    expect(imported).toMatchObject({ unknownProfiles: 1, unknownExamples: ['x9'] });
    expect(t.values()).toEqual(values);
    expect(values).toHaveLength(3);
  });

  it('a row changed outside the app is reported as damage, not a crash', async () => {
    const t = await project();
    await t.call('analytics/importOutcomes', { campaignId: t.campaignId, path: t.file('o.csv', 'id,spend\np1,1\n') });
    const db = t.db();
    db.run('UPDATE outcome_files SET columns = ?', ['[{"name": 3, "binary": true, "values": 1}]']);
    const wrong = await expectEngineError(t.call('analytics/outcomes', { campaignId: t.campaignId }), 'CORRUPT_FILE');
    expect(wrong.message).toMatch(/the columns of the outcome file of campaign \d+ cannot be read .*0\.name/);
    expect(() => readOutcomeColumn(db, t.campaignId, 'spend')).toThrow(/The project is damaged/);
    db.run("UPDATE outcome_files SET columns = '[]', unknown_examples = 'not json'");
    expect((await expectEngineError(t.call('analytics/outcomes', { campaignId: t.campaignId }), 'CORRUPT_FILE')).message).toMatch(/the unknown IDs .*not JSON/);
    db.run("UPDATE outcome_files SET unknown_examples = '[]', rows_read = 'many'");
    expect((await expectEngineError(t.call('analytics/outcomes', { campaignId: t.campaignId }), 'CORRUPT_FILE')).message).toMatch(/the rows read of the outcome file/);
  });
});
