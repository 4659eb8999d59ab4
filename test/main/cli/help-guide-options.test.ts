/** The help of the commands issue 8 changed names what changed: new options and new behaviour. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';

async function help(command: string): Promise<string> {
  let stdout = '';
  expect(await runCli([command, '--help'], { stdout: (t) => void (stdout += t), stderr: () => undefined })).toBe(0);
  return stdout.replace(/\s+/g, ' ');
}

describe('cplan COMMAND --help', () => {
  it('names the options and rules of the guide that the commands follow', async () => {
    const campaign = await help('campaign');
    for (const text of ['--yes', '--force-test', 'gcg', '--status S,S', '--fields A,B', '--limit N', 'its activities copied as new ones that never ran', 'campaign_exit', 'intervals', 'age']) {
      expect(campaign).toContain(text);
    }
    const activity = await help('activity');
    for (const text of ['--ignore-subscription', '--respect-subscription', 'run FILE ACTIVITY [--yes]', 'left out']) expect(activity).toContain(text);
    const split = await help('split');
    for (const text of ['--today DATE', 'intervals', 'age', '--stratum SPEC']) expect(split).toContain(text);
    expect(await help('import')).toContain('--add-enum-values');
    for (const command of ['campaign', 'activity', 'segment', 'gcg', 'import', 'export', 'info', 'clock', 'database']) expect(await help(command)).toContain('--clean');
  });
});
