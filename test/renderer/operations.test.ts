import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/contract/index';
import { formatDuration, progressView } from '../../renderer/store/operations/selectors';
import { nextProgress, type RunningOperation } from '../../renderer/store/operations/slice';
import { writeBigProject } from '../helpers/big-project';
import { startStore, waitForState, openState, type StoreHarness } from './helpers/in-process';
let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const base: RunningOperation = {
  id: 'op-1',
  method: 'project/open',
  label: 'Opening big.cplan',
  phase: null,
  done: 0,
  total: null,
  unit: 'items',
  startedAt: 0,
  lastAt: 0,
  ratePerSecond: null,
  secondsLeft: null,
  cancelling: false,
  doneByUnit: {},
  inline: false,
};

const event = (phase: string, done: number, total: number | null, unit: ProgressEvent['unit'] = 'bytes'): ProgressEvent => ({
  operationId: 'op-1',
  method: 'project/open',
  phase,
  done,
  total,
  unit,
});

const MB = 1024 * 1024;

describe('progress of long operations', () => {
  it('derives rate and time left from successive events of one phase', () => {
    let op = nextProgress(base, event('Reading the file', 8 * MB, 40 * MB), 1000);
    expect(op).toMatchObject({ phase: 'Reading the file', done: 8 * MB, total: 40 * MB, ratePerSecond: null, secondsLeft: null });
    op = nextProgress(op, event('Reading the file', 16 * MB, 40 * MB), 1500); // 16 MB/s
    expect(op.ratePerSecond).toBeCloseTo(16 * MB);
    expect(op.secondsLeft).toBeCloseTo(1.5);
    op = nextProgress(op, event('Reading the file', 32 * MB, 40 * MB), 2000); // 32 MB/s, smoothed
    expect(op.ratePerSecond).toBeCloseTo(0.3 * 32 * MB + 0.7 * 16 * MB);
    expect(op.secondsLeft).toBeCloseTo((8 * MB) / (0.3 * 32 * MB + 0.7 * 16 * MB));

    const view = progressView(op);
    expect(view).toEqual({
      label: 'Opening big.cplan',
      phase: 'Reading the file',
      percent: 80,
      amount: '32.0 MB of 40.0 MB',
      rate: '20.8 MB/s',
      timeLeft: 'almost done',
    });

    // A new phase starts its own rate.
    op = nextProgress(op, event('Checking the file', 0, 1), 2100);
    expect(op.ratePerSecond).toBeNull();
    expect(progressView(op)).toMatchObject({ phase: 'Checking the file', percent: 0, amount: null, rate: null, timeLeft: null });
  });

  it('shows an unknown total as an indeterminate bar, and rows as rows', () => {
    const op = nextProgress(base, event('Importing', 1500, null, 'rows'), 10);
    expect(progressView(op)).toMatchObject({ percent: null, amount: '1,500 rows' });
    expect(progressView({ ...op, cancelling: true }).phase).toBe('Cancelling…');
    expect(formatDuration(0.2)).toBe('less than a second');
    expect(formatDuration(42.2)).toBe('43 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 2 min');
  });

  it('tracks a real open, lets the user cancel it, and leaves everything as it was', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    const path = join(engine.dir, 'big.cplan');
    await writeBigProject(path, 48, 'Big');

    const seen: RunningOperation[] = [];
    const stop = store.subscribe(
      (s) => Object.values(s.operations)[0],
      (op) => {
        if (!op) return;
        seen.push(op);
        // The project's file is not read up front (it stays on disk): a file from elsewhere is checked first.
        if (op.phase === 'Checking the file' && !op.cancelling) void store.getState().cancelOperation(op.id);
      },
    );
    const opened = await store.getState().openProject(path);
    stop();

    expect(opened).toBe(false);
    expect(seen[0]).toMatchObject({ method: 'project/open', label: 'Opening big.cplan', phase: null, cancelling: false });
    expect(seen.some((op) => op.phase === 'Checking the file')).toBe(true);
    expect(seen.some((op) => op.cancelling)).toBe(true);
    const s = harness.state();
    expect(s.operations).toEqual({});
    expect(s.project.open).toBe(false);
    expect(s.notices.at(-1)).toMatchObject({ tone: 'info', title: 'Cancelled' });

    // Not cancelled, the same file opens.
    expect(await store.getState().openProject(path)).toBe(true);
    expect(openState(harness).name).toBe('Big');
  });

  it('cancelling an operation that already ended changes nothing', async () => {
    harness = await startStore();
    await harness.store.getState().cancelOperation('no-such-op');
    const op = { ...base, id: 'gone' };
    harness.store.setState({ operations: { gone: op } });
    await harness.store.getState().cancelOperation('gone');
    expect(harness.state().operations.gone?.cancelling).toBe(false);
    expect(harness.state().notices).toEqual([]);
  });

  it('marks the window busy while a long save runs', async () => {
    harness = await startStore();
    const { store, engine } = harness;
    const path = join(engine.dir, 'big2.cplan');
    await writeBigProject(path, 8, 'Big 2');
    await store.getState().openProject(path);
    await store.getState().rename('Big 2 renamed');
    const saving = store.getState().save();
    const during = await waitForState(store, (s) => Object.keys(s.operations).length === 1);
    expect(Object.values(during.operations)[0]).toMatchObject({ method: 'project/save', label: 'Saving big2.cplan' });
    expect(await saving).toBe(true);
    expect(harness.state().operations).toEqual({});
  });
});
