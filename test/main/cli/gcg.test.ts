/** `cplan gcg` as a real process on real files. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GcgState } from '../../../shared/contract/gcg';
import type { ProfilePage } from '../../../shared/contract/profiles';
import { expectOneLineError, parseJson, useDemoWorkspace, type CplanWorkspace } from '../../helpers/cplan-process';

const workspace = useDemoWorkspace(400, 'gcg');
let w: CplanWorkspace;
beforeEach(() => {
  w = workspace();
});

describe('cplan gcg', { timeout: 180_000 }, () => {
  it('shows no group, sets one, shows it and pages its members', async () => {
    expect((await w.run('gcg', 'show', 'p.cplan', '--database', 'Customers')).stdout).toBe('"Customers" has no global control group (400 profiles).\n');
    const set = await w.run('gcg', 'set', 'p.cplan', '--database', 'customers', '--percent', '5', '--seed', 'g-2026', '--json');
    expect(set.code, set.stderr).toBe(0);
    expect(parseJson<GcgState>(set.stdout)).toMatchObject({ percent: 5, seed: 'g-2026', size: 20, profiles: 400 });
    const shown = await w.run('gcg', 'show', 'p.cplan', '--database', 'Customers');
    expect(shown.stdout).toMatch(/^Global control group of "Customers": 5 % of the profiles, seed "g-2026"\n {2}members {3}20 of 400 profiles\n/);
    const page = parseJson<ProfilePage>((await w.run('gcg', 'members', 'p.cplan', '--database', 'Customers', '--limit', '3', '--json')).stdout);
    expect(page.total).toBe(20);
    expect(page.rows).toHaveLength(3);
  });

  it('exempts a campaign and undoes it', async () => {
    await w.run('segment', 'create', 'p.cplan', 'All', '--database', 'Customers', '--from', 'all');
    await w.run('campaign', 'create', 'p.cplan', 'Welcome', '--database', 'Customers', '--segment', 'All');
    await w.run('gcg', 'set', 'p.cplan', '--database', 'Customers', '--percent', '10');
    const exempt = await w.run('gcg', 'exempt', 'p.cplan', 'welcome', '--json');
    expect(exempt.code, exempt.stderr).toBe(0);
    expect(parseJson<GcgState>(exempt.stdout).exemptCampaignIds).toHaveLength(1);
    expect((await w.run('gcg', 'show', 'p.cplan', '--database', 'Customers')).stdout).toMatch(/exempt {4}"Welcome"/);
    const undone = await w.run('gcg', 'exempt', 'p.cplan', 'Welcome', '--undo');
    expect(undone.stdout).toBe('"Welcome" excludes the global control group of "Customers" again.\n');
  });

  it('refuses a bad percentage or a missing database with exit code 2, an unknown database with 1', async () => {
    for (const args of [
      ['gcg', 'set', 'p.cplan', '--database', 'Customers', '--percent', '101'],
      ['gcg', 'set', 'p.cplan', '--database', 'Customers'],
      ['gcg', 'show', 'p.cplan'],
      ['gcg', 'show', 'p.cplan', '--database', 'Customers', '--percent', '3'],
    ]) {
      const run = await w.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLineError(run);
    }
    const unknown = await w.run('gcg', 'show', 'p.cplan', '--database', 'Nobody');
    expect(unknown.code).toBe(1);
    expect(expectOneLineError(unknown)).toMatch(/no database "Nobody"/);
  });
});
