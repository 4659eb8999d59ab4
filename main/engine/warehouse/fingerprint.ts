/**
 * A split's fingerprint (issue 13): two colleagues confirm in one line that they hold the
 * same split. It is the first 16 lowercase hex digits of the SHA-256 of the assignment's
 * canonical lines
 *
 *     `${profile_id}\t${group}\t${stratumKey}\n`      (group: "test" or "control")
 *
 * sorted by profile_id in UTF-8 byte order (compareText), the stratum key being the
 * scheme's portable key ('' for an unstratified split). The same function fingerprints the
 * app's members and a file's rows, so a warehouse's output with the same groups and strata
 * fingerprints equal to the campaign. On a shell: `sort` the lines with LC_ALL=C, then
 * `sha256sum | cut -c1-16` (README "Split fingerprint").
 *
 * A campaign's members are read in one packed pass (read-profiles.ts), not a row at a time.
 */
import { createHash } from 'node:crypto';
import { EngineError } from '../../../shared/contract/errors';
import { compareText } from '../../../shared/split/quotas';
import { isBuilt, requireCampaign, type CampaignRecord } from '../campaigns/repository';
import { profileTable } from '../databases/profile-table';
import { readKeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';

export const GROUP_WORDS = ['test', 'control'] as const;

/** An assignment: each row's ID, group (1: control) and stratum (an index into `stratumKeys`). */
export interface Assignment {
  readonly ids: readonly string[];
  readonly control: Uint8Array;
  readonly stratumOf: Int32Array;
  readonly stratumKeys: readonly string[];
}

/** The rows' positions in profile_id order (UTF-8 bytes). IDs are distinct. */
export function idOrder(ids: readonly string[]): Int32Array {
  // An Array, not a typed array: its sort (TimSort) takes rows already in order, or nearly, in one pass.
  const order = Array.from({ length: ids.length }, (_, i) => i);
  // Without surrogates (characters above U+FFFF), UTF-16 order is UTF-8 byte order: `<` is enough.
  const plain = !ids.some((id) => /[\ud800-\udfff]/.test(id));
  order.sort(
    plain
      ? (a, b) => {
          const x = ids[a]!;
          const y = ids[b]!;
          return x < y ? -1 : x > y ? 1 : 0;
        }
      : (a, b) => compareText(ids[a]!, ids[b]!),
  );
  return Int32Array.from(order);
}

const CHUNK_CHARS = 1 << 20;

/** The fingerprint of an assignment whose rows are in `order` (idOrder); see the module comment. */
export function fingerprintOf(assignment: Assignment, order: Int32Array = idOrder(assignment.ids)): string {
  const hash = createHash('sha256');
  const { ids, control, stratumOf, stratumKeys } = assignment;
  const tails = stratumKeys.map((key) => [`\ttest\t${key}\n`, `\tcontrol\t${key}\n`] as const);
  let chunk = '';
  for (let k = 0; k < order.length; k += 1) {
    const i = order[k]!;
    chunk += ids[i]! + tails[stratumOf[i]!]![control[i]!]!;
    if (chunk.length >= CHUNK_CHARS) {
      hash.update(chunk, 'utf8');
      chunk = '';
    }
  }
  hash.update(chunk, 'utf8');
  return hash.digest('hex').slice(0, 16);
}

/** A campaign's stored split, as an Assignment, with each member's profile key. */
export interface CampaignAssignment extends Assignment {
  readonly keys: Float64Array;
  /** The stored stratum number of each member. */
  readonly stratumNumber: Int32Array;
  /** Stored stratum numbers with their key and label. */
  readonly strata: ReadonlyMap<number, { readonly key: string; readonly label: string }>;
  /** The IDs as UTF-8 separated by U+001F (for hashing). */
  readonly packed: Uint8Array;
  /** Members whose profile row is gone (not in `ids`). */
  readonly missingProfiles: number;
}

/**
 * The campaign's members that have a profile, in profile_key order (the table's own order:
 * reads of other columns with the same FROM line up row by row); `?` is the campaign id.
 */
export function membersFrom(campaign: CampaignRecord): string {
  return `FROM campaign_members m JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = m.profile_key WHERE m.campaign_id = ? ORDER BY m.profile_key`;
}

/**
 * A campaign's members with their IDs, groups and strata, in one pass: the key column
 * carries profile_key * 2 + (1 if control), so no second read is needed for the groups.
 * Without `withKeys` (`keys` are then all 0), it carries stratum * 2 + (1 if control)
 * instead, and the stratum column goes: each column concatenated costs a sixth of the read.
 */
export function readCampaignAssignment(db: SqlDb, campaign: CampaignRecord, withKeys = true): CampaignAssignment {
  const code = withKeys ? "m.profile_key * 2 + (m.grp = 'control'), p.profile_id, m.stratum" : "m.stratum * 2 + (m.grp = 'control'), p.profile_id";
  const read = readKeyedIds(db, `SELECT ${code} ${membersFrom(campaign)}`, [campaign.id], withKeys);
  const members = Number(db.scalar('SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ?', [campaign.id]) ?? 0);
  const strata = new Map(
    db
      .all<{ stratum: number; key: string; label: string }>('SELECT stratum, key, label FROM campaign_strata WHERE campaign_id = ? ORDER BY stratum', [campaign.id])
      .map((r) => [Number(r.stratum), { key: String(r.key), label: String(r.label) }]),
  );
  const count = read.count;
  const keys = new Float64Array(count);
  const control = new Uint8Array(count);
  const stratumNumber = new Int32Array(count);
  const stratumOf = new Int32Array(count);
  const dense = new Map<number, number>();
  const stratumKeys: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const code = read.keys[i]!;
    control[i] = ((code % 2) + 2) % 2;
    const rest = (code - control[i]!) / 2;
    if (withKeys) keys[i] = rest;
    const number = withKeys ? read.strata![i]! : rest;
    stratumNumber[i] = number;
    let at = dense.get(number);
    if (at === undefined) {
      at = stratumKeys.length;
      dense.set(number, at);
      // A member whose stratum number has no row: its number stands for the key (the check reports it).
      stratumKeys.push(strata.get(number)?.key ?? String(number));
    }
    stratumOf[i] = at;
  }
  const ids = count === 0 ? [] : new TextDecoder().decode(read.packed).split('\x1f');
  return { ids, control, stratumOf, stratumKeys, keys, stratumNumber, strata, packed: read.packed, missingProfiles: members - count };
}

/** The campaign, refused when it has no split yet (never built). */
export function requireSplit(db: SqlDb, campaignId: number): CampaignRecord {
  const campaign = requireCampaign(db, campaignId);
  if (!isBuilt(db, campaignId)) {
    throw new EngineError('REFUSED', `"${campaign.name}" has not been activated yet, so it has no split to compare.`, { campaignId });
  }
  return campaign;
}

/** The fingerprint of a campaign's stored split (null before its first build). */
export function campaignFingerprint(db: SqlDb, campaignId: number): { fingerprint: string | null; members: number } {
  const campaign = requireCampaign(db, campaignId);
  if (!isBuilt(db, campaignId)) return { fingerprint: null, members: 0 };
  const assignment = readCampaignAssignment(db, campaign, false);
  return { fingerprint: fingerprintOf(assignment), members: assignment.ids.length };
}
