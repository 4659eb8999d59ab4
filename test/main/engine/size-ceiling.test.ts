/**
 * The project's size ceiling (size-ceiling.ts): an import or a campaign build that would
 * make the project larger than the engine can open is refused whole, saying what to do
 * instead (split on the warehouse: `cplan sql`), and nothing of it is kept.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineDeps } from '../../../main/engine/deps';
import { expectEngineError } from '../../helpers/engine';
import { importedInto, startImportProject, writeCsv } from './import/helpers';

const csv = (from: number, count: number) =>
  'profile_id,city\n' + Array.from({ length: count }, (_, i) => `c${from + i},City number ${(from + i) % 97}`).join('\n') + '\n';

describe('the size ceiling of a project', () => {
  it('refuses an import and a build that would pass it, keeping nothing of them, and names the warehouse route', async () => {
    const t = await startImportProject();
    const databaseId = importedInto(await t.importFile(writeCsv(t.dir, 'first.csv', csv(0, 20_000))));
    const { segment } = await t.call('segment/create', { databaseId, name: 'All', from: { kind: 'all' } });
    const campaign = await t.call('campaign/create', { name: 'Spring', databaseId, segmentId: segment.id, seed: 's' });
    await t.call('activity/create', { databaseId, campaignId: campaign.id, type: 'broadcast', name: 'Mail' });
    const path = join(t.dir, 'plan.cplan');
    await t.call('project/saveAs', { path });
    // The ceiling just above the project as it is: any sizeable addition passes it.
    (t.deps as { maxProjectBytes: EngineDeps['maxProjectBytes'] }).maxProjectBytes = statSync(path).size + 16 * 1024;

    const imported = await expectEngineError(t.importFile(writeCsv(t.dir, 'more.csv', csv(20_000, 20_000)), { target: { databaseId } }), 'FILE_TOO_LARGE');
    expect(imported.message).toMatch(/more than the .* that Campaign Planner can hold in memory; nothing was changed/);
    expect(imported.message).toContain('`cplan sql`');
    expect(imported.message).toContain('"Splitting on your warehouse"');
    expect(t.profiles(databaseId)).toHaveLength(20_000);

    const built = await expectEngineError(t.call('campaign/activate', { campaignId: campaign.id }), 'FILE_TOO_LARGE');
    expect(built.message).toContain('`cplan sql`');
    expect((await t.call('campaign/get', { campaignId: campaign.id })).campaign.status).toBe('inactive');

    // Under a ceiling with room, the same build goes through.
    (t.deps as { maxProjectBytes: number }).maxProjectBytes = 1024 ** 3;
    expect((await t.call('campaign/activate', { campaignId: campaign.id })).campaign.status).toBe('active');
  });
});
