/**
 * Starting a plan in the past, to replay it (issue 11): `cplan new --clock` and
 * `cplan demo --replay`, in-process on real files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import { tempDir } from '../../helpers/temp-dir';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('a plan that starts in the past', () => {
  it('cplan new --clock starts the project clock there; a clock that is not a date-time is refused', async () => {
    const dir = tempDir('cplan-replay-');
    const file = join(dir, 'replay.cplan');
    const made = await cli('new', file, '--clock', '2025-01-06T09:00', '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ path: file, clock: '2025-01-06T09:00' });
    expect((await cli('clock', 'show', file)).stdout).toContain('(2025-01-06T09:00)');
    const bad = await cli('new', join(dir, 'bad.cplan'), '--clock', '2025-02-30T00:00');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--clock must be a date-time like 2025-01-01T00:00, not "2025-02-30T00:00"');
  });

  it('cplan demo --replay sets the clock a year back: no event has happened yet', async () => {
    const dir = tempDir('cplan-replay-');
    const file = join(dir, 'demo.cplan');
    const made = await cli('demo', file, '--profiles', '200', '--seed', 'r', '--replay');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/The project clock is at \d{4}-\d{2}-\d{2}T\d{2}:\d{2}, a year back/);
    const listed = await cli('events', 'list', file, '--database', 'Customers', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 0 });
  });
});
