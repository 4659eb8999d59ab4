/**
 * A project file whose stored values were edited by hand (its schema intact, so it opens):
 * a campaign's LCG settings or attributes, a build's strata, a list field's values or an
 * attribute's choices that are not JSON, or not of their shape. Every command that reads
 * them says, in one line with exit code 1, that the project is damaged and where, never
 * "Unexpected error: Unexpected token ...".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { startCampaignProject } from '../engine/campaigns/helpers';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs SQL on a saved project file with sql.js, as a hand edit would. */
async function edit(file: string, sql: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(file));
  db.run(sql);
  writeFileSync(file, db.export());
  db.close();
}

/** The damage, the commands that read it, and where the message says it is. */
const DAMAGE: readonly { readonly sql: string; readonly commands: readonly string[][]; readonly where: RegExp }[] = [
  { sql: "UPDATE campaigns SET lcg = 'garbage'", commands: [['campaign', 'list'], ['campaign', 'show', 'C']], where: /the LCG settings of the campaign "C" \(id 1\) cannot be read \("garbage": not JSON\)/ },
  {
    sql: `UPDATE campaigns SET lcg = '{"percent":"abc","limit":-5,"strata":[]}'`,
    commands: [['campaign', 'list'], ['campaign', 'show', 'C']],
    where: /the LCG settings of the campaign "C" \(id 1\) cannot be read \(.*percent/,
  },
  { sql: "UPDATE campaigns SET attributes = '[1,2'", commands: [['campaign', 'list'], ['activity', 'list', '--campaign', 'C']], where: /the attributes of the campaign "C" \(id 1\) cannot be read/ },
  { sql: "UPDATE split_versions SET strata = 'x'", commands: [['campaign', 'show', 'C']], where: /the strata of build \d+ of the campaign 1 cannot be read \("x": not JSON\)/ },
  { sql: "UPDATE split_versions SET reason = 'magic'", commands: [['campaign', 'show', 'C']], where: /the reason of build \d+ of the campaign 1 cannot be read \("magic"/ },
  { sql: "UPDATE fields SET enum_values = 'nope' WHERE name = 'tier'", commands: [['database', 'fields', 'Customers'], ['export', 'out.csv', '--database', 'Customers']], where: /the values of the list field "tier" cannot be read \("nope": not JSON\)/ },
  { sql: "UPDATE campaign_attributes SET choices = '{'", commands: [['campaign', 'attribute', 'list']], where: /the choices of the campaign attribute "Channel" cannot be read/ },
];

describe('a project file with damaged stored values', () => {
  it('is refused by every command that reads them, in one line naming where, with exit code 1', async () => {
    const t = await startCampaignProject([
      { name: 'letter', type: 'string' },
      { name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] },
    ]);
    t.generate(30, { values: { tier: "CASE WHEN i % 2 = 0 THEN 'gold' ELSE 'silver' END" } });
    const segment = t.segment('All');
    await t.call('attribute/define', { name: 'Channel', required: false, choices: ['email', 'sms'] });
    const campaignId = await t.campaign(segment, { percent: '10', limit: null, strata: [] }, 'seed', 'C');
    await t.call('campaign/activate', { campaignId });
    const clean = join(t.dir, 'clean.cplan');
    await t.call('project/saveAs', { path: clean });
    for (const { sql, commands, where } of DAMAGE) {
      const file = join(t.dir, 'damaged.cplan');
      writeFileSync(file, readFileSync(clean));
      await edit(file, sql);
      for (const command of commands) {
        const [name, ...rest] = command;
        const args = name === 'info' || name === 'export' ? [name!, file, ...rest] : [name!, rest[0]!, file, ...rest.slice(1)];
        if (name === 'export') args[2] = join(t.dir, 'out.csv');
        const run = await cli(...args);
        expect(run.stderr, `${sql}: ${args.join(' ')}`).toMatch(/^cplan: The project is damaged: [^\n]+ Open a backup or an earlier copy of it\.\n$/);
        expect(run.stderr).toMatch(where);
        expect(run.stderr).not.toMatch(/Unexpected|INTERNAL/);
        expect(run.code).toBe(1);
      }
    }
  });
});
