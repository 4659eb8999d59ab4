/**
 * 'simulate/monteCarlo' through the engine, on a project's campaign: the audience read by
 * the scan (loadSimData), the campaign's own quotas, progress per chunk, and cancel from
 * the user between chunks (operation/cancel), on the engine's real worker pool.
 */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../shared/contract/events';
import type { SimSource } from '../../../../shared/contract/simulate';
import { startSimProject } from './helpers';

const settings = { alpha: 0.05, sided: 'two-sided', percent: '10', limit: null, seed: 's1', effect: 0.3 } as const;

describe('simulate/monteCarlo', () => {
  it("replicates the campaign's split on its audience, with progress per chunk", async () => {
    const t = await startSimProject({ profiles: 20_000 });
    const source: SimSource = { audience: { kind: 'campaign', campaignId: t.campaignId }, metric: { field: 'bought' } };
    const result = await t.call('simulate/monteCarlo', { source, settings, reps: 400 }, 'mc-1');
    // The exact split: 10 % of 20,000, whatever the replicate.
    expect(result).toMatchObject({ reps: 400, seed: 's1', control: 2000, test: 18_000 });
    expect(result.aa.falsePositive.rejected).toBeLessThan(60);
    expect(result.effect!.closedFormPower).toBeGreaterThan(0);
    expect(result.balance.map((row) => row.field)).toEqual(expect.arrayContaining(['revenue', 'city']));
    const progress = t.events.filter((e) => e.event === 'progress').map((e) => e.payload as ProgressEvent).filter((p) => p.operationId === 'mc-1');
    expect(progress.at(-1)).toMatchObject({ method: 'simulate/monteCarlo', phase: 'Replicating the split', done: 400, total: 400, unit: 'items' });
    // The same call again: the same figures (seeded, not time-based).
    const again = await t.call('simulate/monteCarlo', { source, settings, reps: 400 });
    expect({ ...again, durationMs: 0 }).toEqual({ ...result, durationMs: 0 });
  });

  it('stops at a cancel between chunks and says so', async () => {
    const t = await startSimProject({ profiles: 20_000 });
    const source: SimSource = { audience: { kind: 'campaign', campaignId: t.campaignId }, metric: { field: 'revenue' } };
    const running = t.raw('simulate/monteCarlo', { source, settings, reps: 100_000 }, 'mc-cancel');
    const started = () => t.events.some((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'mc-cancel' && (e.payload as ProgressEvent).done > 0);
    while (!started()) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await t.call('operation/cancel', { operationId: 'mc-cancel' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const done = t.events.filter((e) => e.event === 'progress' && (e.payload as ProgressEvent).operationId === 'mc-cancel').map((e) => (e.payload as ProgressEvent).done);
    expect(Math.max(...done)).toBeLessThan(100_000);
    // The engine goes on working.
    expect((await t.call('simulate/monteCarlo', { source, settings, reps: 20 })).reps).toBe(20);
  });
});
