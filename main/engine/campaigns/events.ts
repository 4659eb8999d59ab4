/**
 * The campaign event log (campaign_events): what happened to a campaign and to each of its
 * profiles, stamped with the project clock. A campaign's own events carry their text for
 * the user in their details (`{"text": ...}`); the per-profile events (millions over a year
 * of the clock) carry a code instead, made into their text as the log is read
 * (profile-events.ts).
 */
import {
  CampaignEvent as CampaignEventSchema,
  LEGACY_EVENT_KINDS,
  type CAMPAIGN_EVENT_KINDS,
  type CampaignEvent,
} from '../../../shared/contract/campaigns';
import { profileTable } from '../databases/profile-table';
import type { SqlDb } from '../sqlite/database';
import { profileEventText } from './profile-events';

export type CampaignEventKind = (typeof CAMPAIGN_EVENT_KINDS)[number];

export interface EventOptions {
  /** The profile of a per-profile event (profile_key, the rowid in profiles_<database>). */
  readonly profileKey?: number | null;
  /** More machine-readable facts (counts, ids); kept next to the text. */
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Records one event of a campaign at `clock` (the project clock, never the wall clock) and
 * returns its id. `text` is the sentence the user reads ("Activated: 90,000 test, 10,000
 * LCG"). Runs inside the caller's transaction, if any. Stable signature: activities use it.
 */
export function recordEvent(
  db: SqlDb,
  campaignId: number,
  clock: string,
  kind: CampaignEventKind,
  text: string,
  options: EventOptions = {},
): number {
  db.run('INSERT INTO campaign_events (campaign_id, clock, kind, profile_key, details) VALUES (?, ?, ?, ?, ?)', [
    campaignId,
    clock,
    kind,
    options.profileKey ?? null,
    JSON.stringify({ ...(options.data ?? {}), text }),
  ]);
  return Number(db.scalar('SELECT last_insert_rowid()'));
}

const EventKind = CampaignEventSchema.shape.kind;

/** A stored kind as the contract names it (files of earlier versions hold older names). */
const kindOf = (stored: string): CampaignEventKind => LEGACY_EVENT_KINDS[stored] ?? EventKind.parse(stored);

/** The stored kinds that read as `kinds`: each kind, and the older names that mean it. */
function storedKinds(kinds: readonly CampaignEventKind[]): string[] {
  const legacy = Object.entries(LEGACY_EVENT_KINDS).filter(([, now]) => kinds.includes(now)).map(([old]) => old);
  return [...kinds, ...legacy];
}

/** A page of a campaign's events, newest first, with the profile ID of per-profile events. */
export function eventPage(
  db: SqlDb,
  campaignId: number,
  databaseId: number,
  options: { kinds?: readonly CampaignEventKind[] | undefined; clock?: string | undefined; offset: number; limit: number },
): { total: number; events: CampaignEvent[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [campaignId];
  if (options.kinds && options.kinds.length > 0) {
    conditions.push('AND e.kind IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(storedKinds(options.kinds)));
  }
  if (options.clock !== undefined) {
    conditions.push('AND e.clock = ?');
    params.push(options.clock);
  }
  const filter = conditions.join(' ');
  const total = Number(db.scalar(`SELECT COUNT(*) FROM campaign_events e WHERE e.campaign_id = ? ${filter}`, params));
  const rows = db.all<{ id: number; clock: string; kind: string; profile_id: string | null; details: string; code: number | null }>(
    `SELECT e.id, e.clock, e.kind, p.profile_id, e.details, e.code
       FROM campaign_events e LEFT JOIN ${profileTable(databaseId)} p ON p.rowid = e.profile_key
      WHERE e.campaign_id = ? ${filter}
      ORDER BY e.id DESC LIMIT ? OFFSET ?`,
    [...params, options.limit, options.offset],
  );
  return {
    total,
    events: rows.map((r) => {
      const kind = kindOf(String(r.kind));
      return {
        id: Number(r.id),
        clock: String(r.clock),
        kind,
        profileId: r.profile_id === null ? null : String(r.profile_id),
        text: r.code === null ? textOf(String(r.details)) : profileEventText(kind, Number(r.code)),
      };
    }),
  };
}

/** Profiles that joined and left a campaign (its per-profile events), counted per moment of the project clock. */
export function profileMovesByClock(db: SqlDb, campaignId: number): Map<string, { joined: number; left: number }> {
  const rows = db.all<{ clock: string; joined: number; left: number }>(
    `SELECT clock, SUM(kind IN (SELECT value FROM json_each(?1))) AS joined, SUM(kind IN (SELECT value FROM json_each(?2))) AS left
       FROM campaign_events WHERE campaign_id = ?3 AND profile_key IS NOT NULL GROUP BY clock`,
    [JSON.stringify(storedKinds(['profile_joined'])), JSON.stringify(storedKinds(['campaign_exit'])), campaignId],
  );
  return new Map(
    rows.filter((r) => Number(r.joined) + Number(r.left) > 0).map((r) => [String(r.clock), { joined: Number(r.joined), left: Number(r.left) }]),
  );
}

function textOf(details: string): string {
  try {
    const parsed: unknown = JSON.parse(details);
    if (parsed !== null && typeof parsed === 'object' && 'text' in parsed && typeof parsed.text === 'string') return parsed.text;
  } catch {
    // A file edited by hand: show what is there.
  }
  return details;
}
