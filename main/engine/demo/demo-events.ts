/**
 * The demo audience's events: purchases, opens and clicks over the 12 months before the
 * project clock, consistent with each profile's fields.
 *
 * - Purchases: a profile's `purchases` purchases are spread between its registration and
 *   its `last_purchase` day (the last one on that day), with amounts that split its
 *   `revenue` exactly (to the cent). The events are the ones of the last 12 months: a
 *   profile that bought only within them has exactly `purchases` purchase events summing
 *   to `revenue`; older purchases are before the history kept. Each carries an order
 *   number ("order 0000042-3") as its text.
 * - Opens: subscribed profiles open mailings far more often than others (bounced ones
 *   never), buyers a little more; a fifth of opens lead to a click minutes later.
 *
 * The events come from a random stream of their own (seeded from the demo seed), so the
 * profiles of a seed are exactly what they were before events existed. Rows are kept
 * compactly as they are made and written at the end, sorted, as an import writes them
 * (events/table.ts writeEvents).
 */
import type { SqlJsStatic } from 'sql.js';
import type { SqlDb } from '../sqlite/database';
import { EventRows } from '../events/event-rows';
import { writeEvents } from '../events/table';
import { IsoDays, type DemoProfile } from './generator';
import { SeededRandom } from './random';

const DAY = 86_400_000;
const YEAR_DAYS = 365;
/** Days of events before the clock (a demo made to replay starts its clock that far back). */
export const DEMO_HISTORY_DAYS = YEAR_DAYS;
/** Opens a year, by subscription status, for a profile registered all year. */
const OPENS_PER_YEAR: Readonly<Record<DemoProfile['subscription'], number>> = { subscribed: 0.8, unconfirmed: 0.15, unsubscribed: 0.25, bounced: 0 };
const CLICK_SHARE = 0.2;

/** The random stream of a seed's events: another stream than its profiles'. */
export const eventsSeed = (seed: string) => `${seed}\u0000events`;

export interface DemoEventsWriter {
  /** The events of the profile stored under `key` (its rowid). */
  add(key: number, profile: DemoProfile): void;
  /** Writes the events (inside the caller's transaction); returns how many. */
  finish(): Promise<number>;
}

/** Makes the demo events of each profile as the profiles are made; writes them into the database's events at the end. */
export function demoEventsWriter(sql: SqlJsStatic, db: SqlDb, databaseId: number, options: { readonly seed: string; readonly clock: string }): DemoEventsWriter {
  const random = new SeededRandom(eventsSeed(options.seed));
  const end = Date.parse(`${options.clock}:00Z`);
  const start = end - DEMO_HISTORY_DAYS * DAY;
  const days = new IsoDays(Math.floor(start / DAY) - 7 * YEAR_DAYS);
  const rows = new EventRows();
  const types = { purchase: rows.typeCode('purchase'), open: rows.typeCode('open'), click: rows.typeCode('click') };
  const emit = (key: number, type: keyof typeof types, t: number, amount: number | null, note: string | null) => {
    rows.addText(key, types[type], days.dateTime(t), amount, note);
  };

  return {
    add(key, profile) {
      const registered = Date.parse(`${profile.registeredAt}Z`);
      if (profile.purchases > 0 && profile.lastPurchase !== null) {
        // The last purchase on its day (not after the clock, not before the registration).
        const day = Date.parse(`${profile.lastPurchase}T00:00:00Z`);
        const lo = Math.max(day, registered);
        const hi = Math.min(day + DAY, end);
        const last = lo + Math.floor(random.next() * Math.max(0, hi - lo - 1000) / 1000) * 1000;
        if (last >= start) {
          // The earlier purchases between the registration and the last; amounts split the revenue.
          const times: number[] = [];
          for (let k = 1; k < profile.purchases; k += 1) times.push(registered + Math.floor((random.next() * (last - registered)) / 1000) * 1000);
          times.sort((a, b) => a - b);
          times.push(last);
          const weights = times.map(() => Math.exp(random.normal(0, 0.5)));
          const total = weights.reduce((s, w) => s + w, 0);
          const cents = Math.round(profile.revenue * 100);
          let given = 0;
          for (let k = 0; k < times.length; k += 1) {
            const share = k === times.length - 1 ? cents - given : Math.min(cents - given, Math.round((cents * weights[k]!) / total));
            given += share;
            if (times[k]! >= start) emit(key, 'purchase', times[k]!, share / 100, `order ${profile.profileId}-${k + 1}`);
          }
        }
      }
      // Opens (and clicks) over the part of the year the profile was registered.
      const from = Math.max(start, registered);
      if (from < end) {
        const buyer = 1 + Math.min(profile.purchases, 10) / 10;
        const opens = poisson(random, (OPENS_PER_YEAR[profile.subscription] * buyer * (end - from)) / (YEAR_DAYS * DAY));
        for (let k = 0; k < opens; k += 1) {
          const t = from + Math.floor((random.next() * (end - from)) / 1000) * 1000;
          emit(key, 'open', t, null, null);
          if (random.next() < CLICK_SHARE) {
            const click = t + random.int(5, 1800) * 1000;
            if (click < end) emit(key, 'click', click, null, null);
          }
        }
      }
    },
    async finish() {
      await writeEvents(sql, db, databaseId, rows, { firstSeq: 1, importId: null });
      return rows.length;
    },
  };
}

/** A Poisson count (Knuth's method: the means here are small). */
function poisson(random: SeededRandom, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k += 1;
    p *= random.next();
  }
  return k;
}
