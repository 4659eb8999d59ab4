/**
 * LONG TEST (about a minute on a 2-core machine, longer when it is busy): a 200 MB CSV,
 * streamed through the real parse worker into a new database. It runs in `npm test` like
 * every other test: a file this size is what the import is built for.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemoCsv } from '../../../../main/engine/demo/demo-csv';
import { generateProfiles } from '../../../../main/engine/demo/generator';
import { startImportProject } from './helpers';

const ROWS = 1_800_000;

describe('a 200 MB file', () => {
  it('imports every row, with the same values as the generator made', async () => {
    const t = await startImportProject();
    const path = join(t.dir, 'audience-200mb.csv');
    const made = await writeDemoCsv(path, { count: ROWS, seed: 'large', today: '2026-01-05', columns: 'full' });
    expect(statSync(path).size).toBeGreaterThan(200_000_000);
    const result = await t.importFile(path, { target: { newDatabase: 'Audience' } });
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: made.rows, added: ROWS, problemCount: 0 });
    expect(result.database).toMatchObject({ profileCount: ROWS, fieldCount: 8 });

    const first = generateProfiles({ count: 1, seed: 'large', today: '2026-01-05' }).next().value!;
    const card = await t.call('profile/get', { databaseId: result.database!.id, profileId: first.profileId });
    const fields = (await t.call('database/get', { databaseId: result.database!.id })).fields;
    const value = (name: string) => card.values.find((v) => v.fieldId === fields.find((f) => f.name === name)!.id)?.value;
    expect(card.subscription).toBe(first.subscription);
    expect([value('email'), value('birth_date'), value('registered_at'), value('purchases'), value('revenue')]).toEqual([
      first.email,
      first.birthDate,
      first.registeredAt,
      first.purchases,
      first.revenue,
    ]);
  }, 300_000);
});
