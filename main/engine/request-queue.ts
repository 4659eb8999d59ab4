/**
 * The engine's calls run one at a time (sql.js is one connection). Waiting calls are taken
 * in arrival order, except that a read which may pass over a whole audience (a sorted page
 * of profiles, a campaign's strata, a preview) lets every other waiting call go first: a
 * user who renames something while a million rows are being sorted waits for the rename,
 * not for the sort. A call that has started runs to its end, but a long read done in steps
 * may pause between two: a first sort lets the short reads waiting behind it
 * (PASSING_READS) run, so a members page does not wait for a sort of a million profiles;
 * the segments list, which reads everything again when anything changed meanwhile, lets
 * every waiting call run, so a rename does not wait for a million members to be counted.
 *
 * Letting a read wait is always safe: it changes nothing, so whatever ran before it only
 * makes what it reads newer, as if it had been asked a moment later. Writes never pass one
 * another, so changes happen in the order they were asked for; a write runs inside a read's
 * pause only when that read then starts again.
 */
import type { MethodName } from '../../shared/contract/index';

/**
 * The reads that may take long on a big project (each scans or sorts an audience): they
 * wait behind anything else that is waiting. A page of a segment's, a campaign's or the
 * GCG's members is not among them: it is what a user waits for while a sort runs.
 */
export const BACKGROUND_READS: ReadonlySet<MethodName> = new Set<MethodName>([
  'profile/list',
  'segment/list',
  'campaign/get',
  'campaign/previewLcg',
  'segment/preview',
  'events/list',
]);

/**
 * The short reads that may run inside a long read's pause (HandlerContext.letShortReadsPass):
 * a page of a segment's or a campaign's members, a profile's card. None changes a profile
 * (a dynamic segment's page may refresh its members, never the profiles a sort reads).
 */
export const PASSING_READS: ReadonlySet<MethodName> = new Set<MethodName>(['segment/members', 'campaign/members', 'profile/get']);

interface Waiting {
  readonly background: boolean;
  readonly passes: boolean;
  /** Runs the call and settles its caller's promise; never rejects. */
  readonly run: () => Promise<void>;
}

/** Lets the thread take in the messages sent while a step ran: a turn of the event loop, its poll phase included. */
const turnOfTheLoop = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

export class RequestQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;
  private passing = false;
  private drained: (() => void)[] = [];

  /**
   * Runs `work` when its turn comes; `background` for the reads in BACKGROUND_READS,
   * `passes` for those in PASSING_READS.
   */
  enqueue<T>(work: () => Promise<T>, background = false, passes = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ background, passes, run: () => work().then(resolve, reject) });
      // Started after the caller's own code, as a promise's `then` would: calls made in the
      // same turn all wait, and the foreground ones among them go first.
      if (!this.busy) queueMicrotask(() => this.next());
    });
  }

  /**
   * Called by the running call between two steps of a long read: runs the waiting calls
   * that may pass it, each to its end, then returns (at once when none waits).
   */
  letShortReadsPass(): Promise<void> {
    return this.letPass((w) => w.passes);
  }

  /**
   * Called by a read that starts again when anything changed during its pauses: runs every
   * waiting call but the background reads (writes too), in their order, then returns.
   */
  letWaitingCallsPass(): Promise<void> {
    return this.letPass((w) => !w.background);
  }

  private async letPass(may: (waiting: Waiting) => boolean): Promise<void> {
    if (this.passing) return;
    this.passing = true;
    try {
      await turnOfTheLoop();
      for (let i = this.waiting.findIndex(may); i >= 0; i = this.waiting.findIndex(may)) {
        const [chosen] = this.waiting.splice(i, 1);
        await chosen?.run();
      }
    } finally {
      this.passing = false;
    }
  }

  /** Resolves once nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (!this.busy && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** How many calls wait (not counting the one running). */
  get length(): number {
    return this.waiting.length;
  }

  private next(): void {
    if (this.busy) return;
    const foreground = this.waiting.findIndex((w) => !w.background);
    const [chosen] = this.waiting.splice(foreground >= 0 ? foreground : 0, 1);
    if (!chosen) {
      const drained = this.drained;
      this.drained = [];
      for (const resolve of drained) resolve();
      return;
    }
    this.busy = true;
    void chosen.run().finally(() => {
      this.busy = false;
      this.next();
    });
  }
}
