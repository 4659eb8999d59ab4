/**
 * The options every profile export takes on the command line, as the app's export dialog
 * offers them: subscription statuses (--status), fields (--fields) and a row limit (--limit).
 * `cplan export` and `cplan campaign export` read them the same way.
 */
import type { ExportRequest } from '../../../shared/contract/exports';
import { EngineError } from '../../../shared/contract/errors';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../../shared/domain/profiles';
import type { CliEngine } from '../cli-engine';
import { UsageError } from '../command';
import { commaList, positiveInteger, sameName } from './project-args';

type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** --status S,S: only profiles with these subscription statuses (undefined: all). */
export function statusesOption(values: Values): SubscriptionStatus[] | undefined {
  if (typeof values.status !== 'string') return undefined;
  const statuses = commaList(values.status);
  const unknown = statuses.find((s) => !(SUBSCRIPTION_STATUSES as readonly string[]).includes(s));
  if (unknown !== undefined) throw new UsageError(`unknown status "${unknown}"; use ${SUBSCRIPTION_STATUSES.join(', ')}`);
  if (statuses.length === 0) throw new UsageError('--status needs at least one status');
  return statuses as SubscriptionStatus[];
}

/** --limit N: at most N rows. */
export function rowLimitOption(values: Values): number | undefined {
  return typeof values.limit === 'string' ? positiveInteger('limit', values.limit) : undefined;
}

/** --fields A,B: the fields to write, by name, in that order (undefined: all; empty: none). */
export async function fieldIdsOption(engine: CliEngine, values: Values, database: { id: number; name: string }): Promise<number[] | undefined> {
  if (typeof values.fields !== 'string') return undefined;
  const { fields } = await engine.call('database/get', { databaseId: database.id });
  return commaList(values.fields).map((name) => {
    const field = fields.find((f) => sameName(f.name, name));
    if (!field) {
      throw new EngineError('NOT_FOUND', `"${database.name}" has no field "${name}"; it has ${fields.map((f) => f.name).join(', ') || 'none'}.`, { name });
    }
    return field.id;
  });
}

/** The statuses, fields and limit of an export request, as given (checked before any lookup). */
export function checkExportOptions(values: Values): void {
  statusesOption(values);
  rowLimitOption(values);
}

/** The part of an export request these options make. */
export async function exportChoices(
  engine: CliEngine,
  values: Values,
  database: { id: number; name: string },
): Promise<Pick<ExportRequest, 'fieldIds' | 'subscription' | 'limit'>> {
  const statuses = statusesOption(values);
  const limit = rowLimitOption(values);
  const fieldIds = await fieldIdsOption(engine, values, database);
  return {
    ...(fieldIds === undefined ? {} : { fieldIds }),
    ...(statuses === undefined ? {} : { subscription: statuses }),
    ...(limit === undefined ? {} : { limit }),
  };
}
