/**
 * Campaign rows: reading them, turning them into the contract's Campaign, and checking an
 * action against the status machine (shared/domain/campaign-status.ts) before anything
 * changes.
 */
import { z } from 'zod';
import { Campaign, LcgSettings, SplitVersion, type GroupSizes } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { checkCampaignAction, segmentKindOf, type CampaignAction, type CampaignFacts, type CampaignSegmentKind, type CampaignStatus } from '../../../shared/domain/campaign-status';
import { readMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { storedJson, storedValue } from '../sqlite/stored-values';
import { allGroupSizes, groupSizes } from './counts';

export interface CampaignRecord {
  readonly id: number;
  readonly name: string;
  readonly databaseId: number;
  readonly segmentId: number;
  readonly status: CampaignStatus;
  readonly attributes: Record<string, string>;
  readonly seed: string;
  readonly lcg: LcgSettings;
  readonly gcgExempt: boolean;
  readonly activateAt: string | null;
  readonly createdAt: string;
  readonly createdClock: string;
  readonly activatedClock: string | null;
  readonly completedClock: string | null;
  readonly clonedFrom: number | null;
  readonly deletedAt: string | null;
}

const Attributes = z.record(z.string(), z.string());
const StatusSchema = Campaign.shape.status;

const text = (v: SqlValue | undefined) => (v === null || v === undefined ? null : String(v));

function toRecord(row: Record<string, SqlValue>): CampaignRecord {
  const of = `the campaign "${String(row.name)}" (id ${Number(row.id)})`;
  return {
    id: Number(row.id),
    name: String(row.name),
    databaseId: Number(row.database_id),
    segmentId: Number(row.segment_id),
    status: StatusSchema.parse(row.status),
    attributes: storedJson(Attributes, row.attributes, `the attributes of ${of}`),
    seed: String(row.seed),
    lcg: storedJson(LcgSettings, row.lcg, `the LCG settings of ${of}`),
    gcgExempt: Number(row.gcg_exempt) === 1,
    activateAt: text(row.activate_at),
    createdAt: String(row.created_at),
    createdClock: String(row.created_clock),
    activatedClock: text(row.activated_clock),
    completedClock: text(row.completed_clock),
    clonedFrom: row.cloned_from === null || row.cloned_from === undefined ? null : Number(row.cloned_from),
    deletedAt: text(row.deleted_at),
  };
}

export function findCampaign(db: SqlDb, campaignId: number): CampaignRecord | null {
  const row = db.get('SELECT * FROM campaigns WHERE id = ?', [campaignId]);
  return row ? toRecord(row) : null;
}

export function requireCampaign(db: SqlDb, campaignId: number): CampaignRecord {
  const found = findCampaign(db, campaignId);
  if (!found) throw new EngineError('NOT_FOUND', `There is no campaign with id ${campaignId}.`, { campaignId });
  return found;
}

export function listCampaignRecords(db: SqlDb, options: { databaseId?: number | undefined; includeDeleted?: boolean | undefined }): CampaignRecord[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (options.databaseId !== undefined) {
    where.push('database_id = ?');
    params.push(options.databaseId);
  }
  if (!options.includeDeleted) where.push('deleted_at IS NULL');
  return db
    .all(`SELECT * FROM campaigns ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, params)
    .map(toRecord);
}

/** The project clock now. */
export const clockOf = (db: SqlDb) => readMeta(db).clock;


export function activityCount(db: SqlDb, campaignId: number): number {
  return Number(db.scalar('SELECT COUNT(*) FROM activities WHERE campaign_id = ?', [campaignId]) ?? 0);
}

export function segmentInfo(db: SqlDb, segmentId: number): { name: string; kind: CampaignSegmentKind; databaseId: number } | null {
  const row = db.get<{ name: string; kind: string; database_id: number }>('SELECT name, kind, database_id FROM segments WHERE id = ?', [segmentId]);
  return row ? { name: String(row.name), kind: segmentKindOf(row.kind), databaseId: Number(row.database_id) } : null;
}

/** Has the campaign's audience ever been split (a split version exists)? */
export function isBuilt(db: SqlDb, campaignId: number): boolean {
  return Number(db.scalar('SELECT EXISTS (SELECT 1 FROM split_versions WHERE campaign_id = ?)', [campaignId])) === 1;
}

export function toCampaign(db: SqlDb, record: CampaignRecord, groups: GroupSizes = groupSizes(db, record.id)): Campaign {
  const databaseName = db.scalar('SELECT name FROM databases WHERE id = ?', [record.databaseId]);
  const segment = segmentInfo(db, record.segmentId);
  return {
    id: record.id,
    name: record.name,
    databaseId: record.databaseId,
    databaseName: databaseName === undefined || databaseName === null ? '' : String(databaseName),
    segmentId: record.segmentId,
    segmentName: segment?.name ?? '',
    status: record.status,
    deleted: record.deletedAt !== null,
    attributes: record.attributes,
    seed: record.seed,
    lcg: record.lcg,
    activateAt: record.activateAt,
    createdClock: record.createdClock,
    activatedClock: record.activatedClock,
    completedClock: record.completedClock,
    clonedFrom: record.clonedFrom,
    gcgExempt: record.gcgExempt,
    groups,
    activityCount: activityCount(db, record.id),
  };
}

/** Campaigns for a list, with their group sizes. */
export function listCampaigns(db: SqlDb, options: { databaseId?: number | undefined; includeDeleted?: boolean | undefined }): Campaign[] {
  const records = listCampaignRecords(db, options);
  const sizes = allGroupSizes(db);
  return records.map((r) => toCampaign(db, r, sizes.get(r.id) ?? { test: 0, control: 0, total: 0 }));
}

export function campaignFacts(db: SqlDb, record: CampaignRecord): CampaignFacts {
  return {
    status: record.status,
    deleted: record.deletedAt !== null,
    activityCount: activityCount(db, record.id),
    allocated: groupSizes(db, record.id).total,
    segmentKind: segmentInfo(db, record.segmentId)?.kind ?? 'static',
  };
}

/** Throws REFUSED with the status machine's reason unless the action is allowed now. */
export function requireAllowed(db: SqlDb, record: CampaignRecord, action: CampaignAction): void {
  const check = checkCampaignAction(action, campaignFacts(db, record));
  if (!check.allowed) {
    throw new EngineError('REFUSED', check.reason, { campaignId: record.id, action, status: record.status, deleted: record.deletedAt !== null });
  }
}

export function setStatus(db: SqlDb, campaignId: number, status: CampaignStatus): void {
  db.run('UPDATE campaigns SET status = ? WHERE id = ?', [status, campaignId]);
}

// ---------------------------------------------------------------------------------------
// Split versions

const VersionReason = SplitVersion.shape.reason;
const StratumRowList = SplitVersion.shape.strata;
const WarningSchema = SplitVersion.shape.warning.unwrap();

export function listVersions(db: SqlDb, campaignId: number): SplitVersion[] {
  return db
    .all('SELECT * FROM split_versions WHERE campaign_id = ? ORDER BY id DESC', [campaignId])
    .map((r) => {
      const of = `build ${Number(r.id)} of the campaign ${campaignId}`;
      return {
        id: Number(r.id),
        campaignId: Number(r.campaign_id),
        clock: String(r.clock),
        builtAt: String(r.built_at),
        reason: storedValue(VersionReason, r.reason, `the reason of ${of}`),
        seed: String(r.seed),
        lcg: storedJson(LcgSettings, r.lcg, `the LCG settings of ${of}`),
        audience: Number(r.audience),
        controlTotal: Number(r.control_total),
        joined: Number(r.joined),
        left: Number(r.left_count),
        strata: storedJson(StratumRowList, r.strata, `the strata of ${of}`),
        warning: r.warning === null ? null : storedJson(WarningSchema, r.warning, `the stratification warning of ${of}`),
        shortfall: Number(r.shortfall),
        surplus: Number(r.surplus),
      };
    });
}
