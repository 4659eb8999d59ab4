import type { DatabaseDetail, DatabaseSummary, Field } from '../../../shared/contract/index';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../shared/domain/profiles';
import type { AppState } from '../types';

const NO_DATABASES: readonly DatabaseSummary[] = [];
const NO_FIELDS: readonly Field[] = [];

export const selectDatabases = (state: AppState): readonly DatabaseSummary[] => state.databases ?? NO_DATABASES;
export const selectDatabasesLoaded = (state: AppState): boolean => state.databases !== null;

export const selectDatabaseSummary =
  (databaseId: number) =>
  (state: AppState): DatabaseSummary | null =>
    state.databases?.find((d) => d.id === databaseId) ?? null;

export const selectDatabaseDetail =
  (databaseId: number) =>
  (state: AppState): DatabaseDetail | null =>
    state.databaseDetails[databaseId] ?? null;

export const selectFieldsOf =
  (databaseId: number) =>
  (state: AppState): readonly Field[] =>
    state.databaseDetails[databaseId]?.fields ?? NO_FIELDS;

/** Subscription counts in the order of the statuses, leaving out those with no profiles. */
export function subscriptionBreakdown(detail: DatabaseDetail): { status: SubscriptionStatus; count: number }[] {
  return SUBSCRIPTION_STATUSES.map((status) => ({ status, count: detail.subscriptionCounts[status] ?? 0 })).filter((s) => s.count > 0);
}
