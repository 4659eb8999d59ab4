/** Shared reporting for benchmarks: figures, targets, and the exit code. */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target is met when value <= max. */
  readonly max: number;
}

export function report(targets: readonly Target[]): void {
  let missed = 0;
  for (const t of targets) {
    const ok = t.value <= t.max;
    if (!ok) missed += 1;
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value.toFixed(1)} ${t.unit} (target <= ${t.max} ${t.unit})`);
  }
  process.exitCode = missed === 0 ? 0 : 1;
}

/**
 * Largest gap between timer ticks that should come every `intervalMs`: how long the loop was
 * blocked. `stalls`: the 5 longest, with when each ended (performance.now()), to tell what blocked.
 */
export function watchEventLoop(intervalMs = 2): { stop(): { maxStallMs: number; ticks: number; stalls: { endedAt: number; ms: number }[] } } {
  let last = performance.now();
  let maxGap = 0;
  let ticks = 0;
  const stalls: { endedAt: number; ms: number }[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    if (now - last - intervalMs > 5) {
      stalls.push({ endedAt: now, ms: now - last - intervalMs });
      stalls.sort((a, b) => b.ms - a.ms).splice(5);
    }
    last = now;
    ticks += 1;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { maxStallMs: Math.max(0, maxGap - intervalMs), ticks, stalls };
    },
  };
}

/** Peak memory of the whole process (rss, all threads), sampled every 50 ms until `stop`. */
export function sampleMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** Runs a benchmark's main: an error is printed and fails the run (exit code 1). */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
