import type { EngineClient } from '../../../shared/client';
import type { ProfileRow, ProfileSearch, ProfileSortKey } from '../../../shared/contract/index';

/**
 * Which profiles of a database a table shows. Every source pages the same way; only the
 * database itself can be sorted (the other methods take no order), and a run's recipients
 * cannot be searched.
 */
export type ProfileSource =
  | { readonly kind: 'database' }
  /** `recalculation`: an updatable segment's members as of that recalculation (its number). */
  | { readonly kind: 'segment'; readonly segmentId: number; readonly recalculation?: number }
  | { readonly kind: 'gcg' }
  | { readonly kind: 'campaign'; readonly campaignId: number; readonly group: 'test' | 'control' | null }
  /** `abTest`: the run's recipients each have a variant, shown in a column. */
  | { readonly kind: 'run'; readonly runId: number; readonly abTest?: boolean };

/** A row with what some sources add: the profile's group and stratum in a campaign, its A/B variant in a run. */
export interface TableRow extends ProfileRow {
  readonly group?: 'test' | 'control';
  readonly stratum?: string;
  readonly variant?: string;
}

export type ExtraColumn = 'group' | 'stratum' | 'variant';

export interface SourcePage {
  readonly total: number;
  readonly fieldIds: readonly number[];
  readonly rows: readonly TableRow[];
}

export const sourceKey = (source: ProfileSource): string => JSON.stringify(source);
export const sameSource = (a: ProfileSource, b: ProfileSource): boolean => sourceKey(a) === sourceKey(b);
export const sourceCanSort = (source: ProfileSource): boolean => source.kind === 'database';
export const sourceCanSearch = (source: ProfileSource): boolean => source.kind !== 'run';

/** Extra columns of a source's rows. */
export function sourceExtras(source: ProfileSource): readonly ExtraColumn[] {
  if (source.kind === 'campaign') return ['group', 'stratum'];
  if (source.kind === 'run') return source.abTest ? ['group', 'variant'] : ['group'];
  return [];
}

interface TableQuery {
  readonly databaseId: number;
  readonly source: ProfileSource;
  readonly sort: { readonly by: ProfileSortKey; readonly direction: 'asc' | 'desc' } | null;
  readonly search: ProfileSearch | null;
}

/** One page of a table's rows, from the engine method of its source. */
export async function fetchSourcePage(client: EngineClient, table: TableQuery, offset: number, limit: number): Promise<SourcePage> {
  const { source } = table;
  const search = table.search ? { search: table.search } : {};
  switch (source.kind) {
    case 'database':
      return client.call('profile/list', {
        databaseId: table.databaseId,
        offset,
        limit,
        ...(table.sort ? { sort: table.sort } : {}),
        ...search,
      });
    case 'segment':
      return client.call('segment/members', {
        segmentId: source.segmentId,
        ...(source.recalculation === undefined ? {} : { recalculation: source.recalculation }),
        offset,
        limit,
        ...search,
      });
    case 'gcg':
      return client.call('gcg/members', { databaseId: table.databaseId, offset, limit, ...search });
    case 'campaign': {
      const page = await client.call('campaign/members', {
        campaignId: source.campaignId,
        offset,
        limit,
        ...(source.group ? { group: source.group } : {}),
        ...search,
      });
      return {
        total: page.total,
        fieldIds: page.fieldIds,
        rows: page.rows.map((row, i) => withExtras(row, { group: page.groups[i], stratum: page.strata[i] })),
      };
    }
    case 'run': {
      const page = await client.call('activity/recipients', { runId: source.runId, offset, limit });
      return {
        total: page.total,
        fieldIds: page.fieldIds,
        rows: page.rows.map((row, i) => withExtras(row, { group: page.groups[i], variant: page.variants[i] ?? undefined })),
      };
    }
  }
}

function withExtras(row: ProfileRow, extras: { group?: 'test' | 'control' | undefined; stratum?: string | undefined; variant?: string | undefined }): TableRow {
  return {
    ...row,
    ...(extras.group === undefined ? {} : { group: extras.group }),
    ...(extras.stratum === undefined ? {} : { stratum: extras.stratum }),
    ...(extras.variant === undefined ? {} : { variant: extras.variant }),
  };
}
