/**
 * Every `cplan` command ends on its own, also when its work starts the split worker pool
 * (20,000 IDs or more): the pool belongs to the engine's owner, which closes it after the
 * engine. These run the real bundle in child processes, as users run it; a command that
 * does not exit is killed after the time limit and fails here (signal SIGTERM).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cplanWorkspace, type CplanRun, type CplanWorkspace } from '../../helpers/cplan-process';

const LIMIT_MS = 60_000;

function expectExitedWithZero(run: CplanRun, what: string): void {
  expect(run.signal, `${what} did not exit on its own`).toBeNull();
  expect(run.code, `${what}: ${run.stderr}`).toBe(0);
}

async function step(workspace: CplanWorkspace, ...args: string[]): Promise<CplanRun> {
  const run = await workspace.run(...args);
  expectExitedWithZero(run, `cplan ${args.slice(0, 2).join(' ')}`);
  return run;
}

describe.each([25_000, 200_000])('cplan commands on %i IDs exit on their own with code 0', (profiles) => {
  it('split of a CSV file, and the simulator on it', async () => {
    const workspace = cplanWorkspace(undefined, LIMIT_MS);
    await step(workspace, 'demo', '--csv', 'audience.csv', '--profiles', String(profiles), '--columns', 'benchmark', '--today', '2026-01-05');
    const run = await step(workspace, 'split', '--csv', 'audience.csv', '--out', 'groups.csv', '--percent', '10', '--stratum', 'city', '--seed', 's1', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: profiles, control: profiles / 10 });
    // The simulator: its balance splits on the pool, its Monte Carlo runs there too.
    const simulated = await step(workspace, 'simulate', '--csv', 'audience.csv', '--metric', 'revenue', '--stratum', 'city', '--percent', '10', '--seed', 's1', '--reps', '100', '--json');
    expect(JSON.parse(simulated.stdout).results[0]).toMatchObject({ sizes: { control: profiles / 10 }, monteCarlo: { reps: 100 } });
  }, 4 * LIMIT_MS);

  it('import --new-project of a CSV, then an import into the project it made', async () => {
    const workspace = cplanWorkspace(undefined, LIMIT_MS);
    await step(workspace, 'demo', '--csv', 'audience.csv', '--profiles', String(profiles), '--columns', 'benchmark', '--today', '2026-01-05');
    const made = await step(workspace, 'import', 'p.cplan', 'audience.csv', '--database', 'People', '--new-project', '--json');
    expect(JSON.parse(made.stdout)).toMatchObject({ outcome: 'imported', added: profiles, problemCount: 0 });
    // The same file again: every row is known, nothing is added (a second read, parse and write).
    const again = await step(workspace, 'import', 'p.cplan', 'audience.csv', '--database', 'People', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, problemCount: 0 });
  }, 3 * LIMIT_MS);

  it('gcg set, then the first activation of a campaign (the audience build) and a run', async () => {
    const workspace = cplanWorkspace(undefined, LIMIT_MS);
    await step(workspace, 'demo', 'p.cplan', '--profiles', String(profiles), '--seed', 'exits');
    await step(workspace, 'segment', 'create', 'p.cplan', 'Everyone', '--database', 'Customers', '--from', 'all');
    await step(workspace, 'gcg', 'set', 'p.cplan', '--database', 'Customers', '--percent', '5', '--seed', 'g');
    await step(workspace, 'campaign', 'create', 'p.cplan', 'Spring', '--database', 'Customers', '--segment', 'Everyone', '--percent', '10', '--seed', 's');
    await step(workspace, 'activity', 'create', 'p.cplan', 'Mail', '--type', 'ab_test', '--campaign', 'Spring');
    await step(workspace, 'campaign', 'activate', 'p.cplan', 'Spring');
    await step(workspace, 'activity', 'run', 'p.cplan', 'Mail');
    // An A/B test launched now runs at once: its variants are cut on the pool too.
    await step(workspace, 'activity', 'create', 'p.cplan', 'Second', '--type', 'ab_test', '--campaign', 'Spring');
    await step(workspace, 'activity', 'launch', 'p.cplan', 'Second', '--at', 'now');
    const shown = await step(workspace, 'campaign', 'show', 'p.cplan', 'Spring', '--json');
    const audience = profiles - profiles / 20;
    expect(JSON.parse(shown.stdout)).toMatchObject({ campaign: { status: 'active', groups: { total: audience, control: audience / 10 } } });
  }, 8 * LIMIT_MS);
  it('an updatable segment on events, its campaign activated, and the clock advanced a day at a time: recalculations empty it and fill it again', async () => {
    const workspace = cplanWorkspace(undefined, LIMIT_MS);
    await step(workspace, 'demo', 'p.cplan', '--profiles', String(profiles), '--seed', 'exits');
    const { clock } = JSON.parse((await step(workspace, 'clock', 'show', 'p.cplan', '--json')).stdout) as { clock: string };
    await step(workspace, 'export', 'p.cplan', 'ids.csv', '--database', 'Customers');
    const ids = readFileSync(join(workspace.dir, 'ids.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    // A visit by everyone just before the clock, imported now and again after nine days.
    const visits = (at: string) => writeFileSync(join(workspace.dir, 'visits.csv'), `profile_id,at\n${ids.map((id) => `${id},${at}`).join('\n')}\n`);
    const importVisits = () => step(workspace, 'events', 'import', 'p.cplan', 'visits.csv', '--database', 'Customers', '--time-column', 'at', '--type', 'visit');
    visits(`${clock.slice(0, 10)}T00:00`);
    await importVisits();
    await step(workspace, 'segment', 'create', 'p.cplan', 'Visitors', '--database', 'Customers', '--type', 'updatable', '--where', 'event visit in last 7 days', '--schedule', 'daily 10:00');
    await step(workspace, 'campaign', 'create', 'p.cplan', 'Spring', '--database', 'Customers', '--segment', 'Visitors', '--percent', '10', '--seed', 's');
    await step(workspace, 'activity', 'create', 'p.cplan', 'Mail', '--type', 'regular_mailing', '--campaign', 'Spring');
    await step(workspace, 'activity', 'launch', 'p.cplan', 'Mail', '--schedule', 'weekly mon 11:00');
    await step(workspace, 'campaign', 'activate', 'p.cplan', 'Spring');
    const days = (n: number) => new Date(Date.parse(`${clock}:00Z`) + n * 86_400_000).toISOString().slice(0, 16);
    type Advance = { steps: { campaigns: { joined: number; left: number }[] }[] };
    const moved = (advance: Advance, key: 'joined' | 'left') => advance.steps.flatMap((s) => s.campaigns).reduce((sum, c) => sum + c[key], 0);
    const emptied = JSON.parse((await step(workspace, 'clock', 'advance', 'p.cplan', '--to', days(9), '--step', '1d', '--json')).stdout) as Advance;
    expect(emptied.steps).toHaveLength(9);
    expect(moved(emptied, 'left')).toBe(profiles);
    visits(`${days(9).slice(0, 10)}T00:00`);
    await importVisits();
    // Everyone comes back at the next recalculation: the campaign splits them again, on the worker pool, inside the advance.
    const filled = JSON.parse((await step(workspace, 'clock', 'advance', 'p.cplan', '--to', days(10), '--step', '1d', '--json')).stdout) as Advance;
    expect(moved(filled, 'joined')).toBe(profiles);
  }, 12 * LIMIT_MS);
});
