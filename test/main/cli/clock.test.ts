/** `cplan clock` as a real process on real files. */
import { describe, expect, it } from 'vitest';
import { cplanWorkspace, expectOneLineError, parseJson } from '../../helpers/cplan-process';

describe('cplan clock', { timeout: 180_000 }, () => {
  it('shows the clock, moves it forward (saved), and starts a campaign waiting on the way', async () => {
    const w = cplanWorkspace();
    expect((await w.run('demo', 'p.cplan', '--profiles', '100', '--seed', 'clock')).code).toBe(0);
    const shown = parseJson<{ clock: string }>((await w.run('clock', 'show', 'p.cplan', '--json')).stdout);
    expect(shown.clock).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const year = Number(shown.clock.slice(0, 4));
    const later = `${year + 1}-04-10T10:00`;
    const start = `${year + 1}-04-09T08:30`;

    await w.run('segment', 'create', 'p.cplan', 'All', '--database', 'Customers', '--from', 'all');
    await w.run('campaign', 'create', 'p.cplan', 'Spring', '--database', 'Customers', '--segment', 'All', '--percent', '10');
    await w.run('activity', 'create', 'p.cplan', 'Mail', '--type', 'broadcast', '--campaign', 'Spring');
    const waiting = await w.run('campaign', 'activate', 'p.cplan', 'Spring', '--at', start);
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(waiting.stdout).toMatch(/^"Spring" waits until /);

    const advanced = await w.run('clock', 'advance', 'p.cplan', '--to', later);
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(advanced.stdout).toMatch(new RegExp(`^Project clock: .* \\(${later}\\)\\.\\n\\n.*At\\s+Campaign\\s+What happened`, 's'));
    expect(advanced.stdout).toContain('Spring');
    expect((await w.run('clock', 'show', 'p.cplan')).stdout).toContain(`(${later})`);
    expect((await w.run('campaign', 'show', 'p.cplan', 'Spring')).stdout).toMatch(/: Active/);

    const backwards = await w.run('clock', 'advance', 'p.cplan', '--to', shown.clock);
    expect(backwards.code).toBe(1);
    expectOneLineError(backwards);
    for (const args of [['clock', 'advance', 'p.cplan'], ['clock', 'advance', 'p.cplan', '--to', 'tomorrow'], ['clock', 'show', 'p.cplan', '--to', later]]) {
      const run = await w.run(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expectOneLineError(run);
    }
  });
});
