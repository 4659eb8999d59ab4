/**
 * `warehouse/sql`: a campaign's split as one SQL query for a warehouse (issue 13). The
 * campaign gives the seed, the LCG size and its checked stratification rules (validateRules,
 * the same check as the campaign build); the database gives the fields' names and types;
 * ages are counted on the project clock's date. The query itself is written by
 * shared/split/warehouse-sql.ts; here the campaign is read, the column mapping checked, and
 * the file written whole or not at all.
 */
import { EngineError } from '../../../shared/contract/errors';
import { SQL_DIALECT_LABELS, type CampaignSql } from '../../../shared/contract/warehouse';
import type { Field } from '../../../shared/contract/databases';
import { columnExpectation, growthSql, splitSql, type WarehouseRule, type WarehouseSplit } from '../../../shared/split/warehouse-sql';
import { checkExportTarget } from '../export/csv-file';
import { writeFileAtomic } from '../project/atomic-write';
import { clockOf, requireCampaign } from '../campaigns/repository';
import { validateRules } from '../campaigns/strata';
import { listFields } from '../databases/repository';
import { defineHandlers } from '../registry';

/** "Spring sale" -> "spring-sale" (letters of any script kept); "campaign" when nothing is left. */
export function fileSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'campaign' : slug;
}

export const warehouseSqlHandlers = defineHandlers({
  'warehouse/sql': async (args, ctx) => {
    const db = ctx.state.requireSession().db;
    const campaign = requireCampaign(db, args.campaignId);
    const fields = listFields(db, campaign.databaseId);
    const byName = new Map(fields.map((f) => [f.name, f]));
    for (const name of Object.keys(args.columns)) {
      if (!byName.has(name)) {
        const known = fields.map((f) => `"${f.name}"`).join(', ');
        throw new EngineError('INVALID_ARGUMENT', `There is no field "${name}" to map to a column; the fields are ${known || '(none)'}.`, { field: name });
      }
    }
    const { fields: byId, rules } = validateRules(db, campaign.databaseId, campaign.lcg.strata);
    const columnOf = (field: Field) => args.columns[field.name] ?? field.name;
    // Keys in field-id order, as the app's strata (campaigns/strata.ts).
    const warehouseRules: WarehouseRule[] = [...rules]
      .sort((a, b) => a.fieldId - b.fieldId)
      .map((rule) => {
        const field = byId.get(rule.fieldId)!;
        const { fieldId: _fieldId, ...spec } = rule;
        return { field: field.name, type: field.type, column: columnOf(field), spec };
      });
    const clock = clockOf(db);
    const split: WarehouseSplit = {
      dialect: args.dialect,
      seed: campaign.seed,
      percent: campaign.lcg.percent,
      limit: campaign.lcg.limit,
      table: args.table,
      idColumn: args.idColumn,
      rules: warehouseRules,
      today: clock.slice(0, 10),
      header: [`Campaign "${campaign.name}" (id ${campaign.id}), ${SQL_DIALECT_LABELS[args.dialect]}, written on the project clock ${clock}.`],
    };
    const sql = args.kind === 'growth' ? growthSql({ ...split, assignmentTable: args.assignmentTable }) : splitSql(split);
    const fileName = `${fileSlug(campaign.name)}${args.kind === 'growth' ? '.growth' : ''}.${args.dialect}.sql`;
    let path: string | null = null;
    if (args.path !== undefined) {
      await checkExportTarget(ctx, args.path, args.overwrite);
      await writeFileAtomic(ctx.deps.fs, args.path, new TextEncoder().encode(sql), { randomId: ctx.deps.randomId, sleep: ctx.deps.sleep, signal: ctx.signal });
      path = args.path;
    }
    const result: CampaignSql = {
      campaignId: campaign.id,
      campaignName: campaign.name,
      dialect: args.dialect,
      kind: args.kind,
      sql,
      table: args.table,
      assignmentTable: args.kind === 'growth' ? args.assignmentTable : null,
      columns: [
        { field: null, column: args.idColumn, type: 'string', expects: 'text: the profile ID exactly as imported' },
        ...warehouseRules.map((r) => ({ field: r.field, column: r.column, type: r.type, expects: columnExpectation(r.type) })),
      ],
      fileName,
      path,
    };
    return result;
  },
});
