/** `--stratum` of `cplan campaign` in every kind of the stratum scheme, and the refusals it gets. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignDetail, LcgChangePreview } from '../../../shared/contract/campaigns';
import { expectOneLineError, parseJson, useDemoWorkspace, type CplanWorkspace } from '../../helpers/cplan-process';

const workspace = useDemoWorkspace(1500, 'strata-options', async (t) => {
  expect((await t.run('segment', 'create', 'demo.cplan', 'Everyone', '--database', 'Customers', '--from', 'all')).code).toBe(0);
});
let w: CplanWorkspace;
beforeEach(() => {
  w = workspace();
});

const json = async <T>(...args: string[]) => {
  const run = await w.run(...args, '--json');
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return parseJson<T>(run.stdout);
};
const create = (name: string, ...options: string[]) => ['campaign', 'create', 'p.cplan', name, '--database', 'Customers', '--segment', 'Everyone', '--percent', '10', ...options];

describe('cplan campaign --stratum', { timeout: 180_000 }, () => {
  it("takes the guide's named birth-date intervals written 01.01.2000 style, chosen values and ages", async () => {
    const guide = await json<Campaign>(...create('Guide', '--stratum', 'gender', '--stratum', 'birth_date:intervals:Young=01.01.2000..01.01.2005;Adult=01.01.1985..31.12.1999'));
    expect(guide.lcg.strata[1]).toEqual({
      kind: 'intervals',
      fieldId: expect.any(Number),
      intervals: [
        { label: 'Young', from: '2000-01-01', to: '2005-01-01' },
        { label: 'Adult', from: '1985-01-01', to: '1999-12-31' },
      ],
    });
    const detail = await json<CampaignDetail>('campaign', 'show', 'p.cplan', 'Guide');
    const labels = detail.strata.map((s) => s.label);
    for (const g of ['female', 'male']) for (const b of ['Young', 'Adult']) expect(labels).toContain(`gender = ${g} · birth_date: ${b}`);
    expect(labels.filter((l) => !/gender: \(no value\)|birth_date: Other/.test(l))).toHaveLength(4);

    const more = await json<Campaign>(...create('More', '--stratum', 'city:values:Moscow|Kazan', '--stratum', 'birth_date:age:20-25,26-35,65+'));
    expect(more.lcg.strata.map((s) => s.kind)).toEqual(['subset', 'age']);
    const preview = await json<LcgChangePreview>('campaign', 'preview-lcg', 'p.cplan', 'More', '--stratum', 'city:groups:Capitals=Moscow|Saint Petersburg', '--stratum', 'birth_date:age:18-30,31+');
    expect(preview.kind).toBe('first');
    expect(preview.strata.map((s) => s.label)).toContain('city: Capitals · birth_date: age 18 to 30');
  });

  it('refuses at creation a stratification the campaign cannot use, and says what is wrong with an option', async () => {
    const email = await w.run(...create('By email', '--stratum', 'email'));
    expect(email.code).toBe(1);
    expect(expectOneLineError(email)).toMatch(/^"email" has 1,\d{3} different values, too many to stratify by one each \(at most 1,000\)/);
    expect((await json<Campaign[]>('campaign', 'list', 'p.cplan')).map((c) => c.name)).toEqual([]);

    const negative = await w.run(...create('Bad').slice(0, -2), '--percent=-1');
    expect(negative.code).toBe(2);
    expect(expectOneLineError(negative)).toBe('--percent: A percentage cannot be negative (-1); use a number from 0 to 100.');
    const ages = await w.run(...create('Ages', '--stratum', 'birth_date:age:20to25'));
    expect(ages.code).toBe(2);
    expect(expectOneLineError(ages)).toBe('--stratum "birth_date:age:20to25": An age interval is FROM-TO in whole years, such as 20-25, or FROM+ (65+), not "20to25".');
    const overlap = await w.run(...create('Overlap', '--stratum', 'birth_date:intervals:A=01.01.2000..31.12.2001;B=01.06.2001..01.01.2003'));
    expect(overlap.code).toBe(1);
    expect(expectOneLineError(overlap)).toBe('The intervals "A" and "B" of "birth_date" overlap; a value can be in one only.');
  });
});
