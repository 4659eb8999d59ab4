/**
 * `--stratum` rules beyond what the engine's argument schema takes (51 cut points, an empty
 * list of values, a value longer than a value may be) are refused in the stratum scheme's
 * words, by `cplan campaign` and `cplan split` alike: one line, exit code 1, never the
 * schema's "Invalid arguments for campaign/create: lcg.strata.0.bounds: Too big ...".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { startCampaignProject } from '../engine/campaigns/helpers';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const range = (n: number, text: (i: number) => string) => Array.from({ length: n }, (_, i) => text(i));

/** Each rule over a limit of the schema, and the scheme's words for it (field or column "n", "letter", "born"). */
const OVER_LIMITS: readonly (readonly [string, string])[] = [
  [`n:ranges:${range(51, String).join(',')}`, '"n" can be cut at 50 bounds at most.'],
  [`n:intervals:${range(51, (i) => `I${i}=${2 * i}..${2 * i + 1}`).join(';')}`, '"n" can have 50 intervals at most.'],
  [`born:age:${range(51, (i) => `${i}-${i}`).join(',')}`, '"born" can have 50 age intervals at most.'],
  [`letter:groups:${range(101, (i) => `G${i}=v${i}`).join(';')}`, '"letter" can have at most 100 groups.'],
  [`letter:groups:Big=${range(501, (i) => `v${i}`).join('|')}`, 'The group "Big" of "letter" has more than 500 values.'],
  [`letter:groups:${'x'.repeat(101)}=a`, 'The name of a group of "letter" has at most 100 characters.'],
  [`letter:values:${range(1001, (i) => `v${i}`).join('|')}`, 'At most 1000 values of "letter" can be chosen, not 1001.'],
  [`letter:values:${'x'.repeat(1001)}`, 'A chosen value of "letter" has at most 1000 characters.'],
  ['letter:values:|', 'Choose at least one value of "letter".'],
  ['letter:groups:A=|', 'The group "A" of "letter" needs at least one value.'],
];

/** A rule the command line cannot read: a usage error (exit code 2). */
const UNREADABLE = ['n:ranges:1,,2', '--stratum "n:ranges:1,,2": a bound is missing; give the cut points separated by commas, such as 18,25,35'] as const;

describe('--stratum over the limits of a rule', () => {
  it('cplan campaign create and lcg refuse it in words, with exit code 1, and change nothing', async () => {
    const t = await startCampaignProject([
      { name: 'letter', type: 'string' },
      { name: 'n', type: 'number' },
      { name: 'born', type: 'date' },
    ]);
    t.generate(20);
    t.segment('All');
    const file = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path: file });
    const create = ['campaign', 'create', file, 'C', '--database', 'Customers', '--segment', 'All 1', '--percent', '10'];
    expect((await cli(...create)).code).toBe(0);
    for (const [spec, message] of OVER_LIMITS) {
      const made = await cli(...create.slice(0, 3), 'D', ...create.slice(4), '--stratum', spec);
      expect(made.stderr, spec).toBe(`cplan: ${message}\n`);
      expect(made.code).toBe(1);
      const changed = await cli('campaign', 'lcg', file, 'C', '--stratum', spec);
      expect(changed.stderr, spec).toBe(`cplan: ${message}\n`);
      expect(changed.code).toBe(1);
    }
    const unreadable = await cli(...create.slice(0, 3), 'D', ...create.slice(4), '--stratum', UNREADABLE[0]);
    expect([unreadable.code, unreadable.stderr]).toEqual([2, `cplan: ${UNREADABLE[1]}\n`]);
    const list = await cli('campaign', 'list', file, '--json');
    expect((JSON.parse(list.stdout) as { name: string; lcg: { strata: unknown[] } }[]).map((c) => [c.name, c.lcg.strata])).toEqual([['C', []]]);
  });

  it('cplan split refuses it in the same words', async () => {
    const t = await startCampaignProject();
    const csv = join(t.dir, 'in.csv');
    writeFileSync(csv, `id,letter,n,born\n${range(20, (i) => `${i},a,${i},2000-01-0${(i % 9) + 1}`).join('\n')}\n`);
    for (const [spec, message] of OVER_LIMITS) {
      const run = await cli('split', '--csv', csv, '--out', join(t.dir, 'out.csv'), '--percent', '10', '--seed', 's', '--today', '2026-01-01', '--stratum', spec);
      expect(run.stderr, spec).toBe(`cplan: ${message}\n`);
      expect(run.code).toBe(1);
    }
    const unreadable = await cli('split', '--csv', csv, '--out', join(t.dir, 'out.csv'), '--percent', '10', '--seed', 's', '--stratum', UNREADABLE[0]);
    expect([unreadable.code, unreadable.stderr]).toEqual([2, `cplan: ${UNREADABLE[1]}\n`]);
  });
});
