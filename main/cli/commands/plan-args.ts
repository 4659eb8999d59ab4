/**
 * Command-line pieces shared by the planning commands (segment, gcg, campaign, activity,
 * clock): actions dispatched by name, names resolved to ids (a name first, without case;
 * else a numeric id), LCG options parsed into the contract's settings.
 */
import type { Activity } from '../../../shared/contract/activities';
import type { Campaign, LcgSettings, StratumRule } from '../../../shared/contract/campaigns';
import type { DatabaseSummary, Field } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { Segment } from '../../../shared/contract/segments';
import { formatCount } from '../../../shared/format';
import { parsePercent } from '../../../shared/split/percent';
import { checkRule, parseAgeIntervals } from '../../../shared/split/stratum-rules';
import type { StratumSpec, StratumTarget } from '../../../shared/split/stratum-scheme';
import type { CliEngine } from '../cli-engine';
import { UsageError, type Command, type CommandInput, type CommandOutput } from '../command';
import { CLEAN_OPTION, commaList, findDatabase, openProjectFile, positiveInteger, projectPath, sameName } from './project-args';

export type Values = CommandInput['values'];

export interface ActionContext {
  readonly engine: CliEngine;
  /** The positionals after FILE. */
  readonly args: readonly string[];
  readonly values: Values;
  /** Saves the project (after a change). */
  save(): Promise<void>;
}

export interface Action {
  /** Positionals after FILE, for the usage line. */
  readonly args: string;
  readonly min: number;
  readonly max: number;
  /** The options this action takes (others are refused). */
  readonly options?: readonly string[];
  run(context: ActionContext): Promise<CommandOutput>;
}

/**
 * A command of the form `cplan NAME ACTION FILE.cplan ...`: opens the project, runs the
 * action, refuses options that belong to other actions (a usage error, exit code 2).
 */
export function actionCommand(spec: Omit<Command, 'run' | 'positionals'> & { readonly actions: Readonly<Record<string, Action>> }): Command {
  const names = Object.keys(spec.actions);
  return {
    ...spec,
    options: { ...spec.options, ...CLEAN_OPTION },
    positionals: { min: 2, max: 100_010 },
    async run({ values, positionals, engine }) {
      const [actionName, fileArgument, ...rest] = positionals;
      if (actionName === undefined || !Object.hasOwn(spec.actions, actionName)) {
        throw new UsageError(`unknown action "${actionName}"; use ${names.join(', ')}`);
      }
      const action = spec.actions[actionName]!;
      if (rest.length < action.min || rest.length > action.max) {
        throw new UsageError(`usage: cplan ${spec.name} ${actionName} FILE.cplan${action.args ? ` ${action.args}` : ''}`);
      }
      const allowed = new Set([...(action.options ?? []), 'clean']);
      for (const [option, value] of Object.entries(values)) {
        if (value === undefined || option === 'json' || option === 'help') continue;
        if (!allowed.has(option)) throw new UsageError(`--${option} does not go with "${spec.name} ${actionName}"`);
      }
      const file = projectPath(fileArgument);
      await openProjectFile(engine, file, values);
      return action.run({
        engine,
        args: rest,
        values,
        async save() {
          await engine.call('project/save', {});
        },
      });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Option values

export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredOption(values: Values, name: string, what: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} ${what} is required`);
  return value.trim();
}

export function listOption(values: Values, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function integerOption(values: Values, name: string, min = 0): number | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  if (min >= 1) return positiveInteger(name, value);
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new UsageError(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  return number;
}

/** A percentage read by the one rule (shared/split/percent.ts), as the engine takes it ("7.25"). */
export function percentOption(values: Values, name = 'percent'): string | undefined {
  const value = stringOption(values, name);
  if (value === undefined) return undefined;
  const reading = parsePercent(value);
  if (!reading.ok) throw new UsageError(`--${name}: ${reading.problem}`);
  return reading.text;
}

export const flag = (values: Values, name: string) => values[name] === true;

/** Profile IDs given as arguments, each possibly "a,b,c"; at least one. */
export function profileIdArgs(args: readonly string[]): string[] {
  const ids = args.flatMap(commaList);
  if (ids.length === 0) throw new UsageError('give at least one profile ID');
  return ids;
}

/** Paging options: --offset (default 0) and --limit (default 20, at most 1000). */
export function paging(values: Values): { offset: number; limit: number } {
  const offset = integerOption(values, 'offset') ?? 0;
  const limit = integerOption(values, 'limit', 1) ?? 20;
  if (limit > 1000) throw new UsageError('--limit can be at most 1000 for a page; use --out to write them all');
  return { offset, limit };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------
// Names to ids

const isId = (text: string) => /^\d+$/.test(text.trim());

const listed = (names: readonly string[]) => (names.length === 0 ? 'there are none' : `there are ${names.map((n) => `"${n}"`).join(', ')}`);

export async function resolveDatabase(engine: CliEngine, nameOrId: string): Promise<DatabaseSummary> {
  try {
    return await findDatabase(engine, nameOrId);
  } catch (error) {
    if (!isId(nameOrId)) throw error;
    const byId = (await engine.call('database/list', {})).find((d) => d.id === Number(nameOrId));
    if (!byId) throw error;
    return byId;
  }
}

export async function resolveSegment(engine: CliEngine, nameOrId: string, databaseId?: number): Promise<Segment> {
  const all = await engine.call('segment/list', databaseId === undefined ? {} : { databaseId });
  const byName = all.filter((s) => sameName(s.name, nameOrId.trim()));
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new UsageError(`several databases have a segment "${nameOrId}"; add --database NAME to choose one`);
  }
  const byId = isId(nameOrId) ? all.find((s) => s.id === Number(nameOrId)) : undefined;
  if (byId) return byId;
  throw new EngineError('NOT_FOUND', `There is no segment "${nameOrId}"${databaseId === undefined ? '' : ' in that database'}; ${listed(all.map((s) => s.name))}.`, {
    segment: nameOrId,
  });
}

export async function resolveCampaign(engine: CliEngine, nameOrId: string): Promise<Campaign> {
  const all = await engine.call('campaign/list', { includeDeleted: true });
  const byName = all.filter((c) => sameName(c.name, nameOrId.trim()));
  // A name in use by a live campaign and by one in the recycle bin means the live one.
  const live = byName.filter((c) => !c.deleted);
  if (live.length === 1) return live[0]!;
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new UsageError(`several campaigns are named "${nameOrId}" (ids ${byName.map((c) => c.id).join(', ')}); give the id instead`);
  }
  const byId = isId(nameOrId) ? all.find((c) => c.id === Number(nameOrId)) : undefined;
  if (byId) return byId;
  throw new EngineError('NOT_FOUND', `There is no campaign "${nameOrId}"; ${listed(all.map((c) => c.name))}.`, { campaign: nameOrId });
}

export async function databaseFields(engine: CliEngine, databaseId: number): Promise<Field[]> {
  // Not database/get: its subscription counts read every profile (seconds on 10M profiles).
  return engine.call('field/list', { databaseId });
}

export function resolveField(fields: readonly Field[], nameOrId: string, databaseName: string): Field {
  const byName = fields.find((f) => sameName(f.name, nameOrId.trim()));
  if (byName) return byName;
  const byId = isId(nameOrId) ? fields.find((f) => f.id === Number(nameOrId)) : undefined;
  if (byId) return byId;
  throw new EngineError('NOT_FOUND', `"${databaseName}" has no field "${nameOrId}"; it has ${fields.map((f) => `"${f.name}"`).join(', ') || 'none'}.`, {
    field: nameOrId,
  });
}

/** Every activity of the project: those of each campaign and each database's external list. */
export async function allActivities(engine: CliEngine): Promise<Activity[]> {
  const campaigns = await engine.call('campaign/list', { includeDeleted: true });
  const databases = await engine.call('database/list', {});
  const lists = await Promise.all([
    ...campaigns.map((c) => engine.call('activity/list', { campaignId: c.id })),
    ...databases.map((d) => engine.call('activity/list', { databaseId: d.id, external: true })),
  ]);
  return lists.flat().sort((a, b) => a.id - b.id);
}

export async function resolveActivity(engine: CliEngine, nameOrId: string, campaign?: Campaign): Promise<Activity> {
  const all = campaign ? await engine.call('activity/list', { campaignId: campaign.id }) : await allActivities(engine);
  const byName = all.filter((a) => sameName(a.name, nameOrId.trim()));
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new UsageError(`several activities are named "${nameOrId}" (ids ${byName.map((a) => a.id).join(', ')}); give the id, or --campaign NAME`);
  }
  const byId = isId(nameOrId) ? all.find((a) => a.id === Number(nameOrId)) : undefined;
  if (byId) return byId;
  throw new EngineError('NOT_FOUND', `There is no activity "${nameOrId}"${campaign ? ` in "${campaign.name}"` : ''}; ${listed(all.map((a) => a.name))}.`, {
    activity: nameOrId,
  });
}

// ---------------------------------------------------------------------------------------
// LCG settings

const STRATUM_SYNTAX =
  'FIELD, FIELD:values:V1|V2, FIELD:groups:NAME=V1|V2;NAME2=V3, FIELD:ranges:18,25,35, ' +
  'FIELD:intervals:NAME=FROM..TO;NAME2=FROM..TO or FIELD:age:20-25,26-35,65+';

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** A bound as typed: a number when it reads as one, else text (a date; the engine reads it as the import does). */
const boundOf = (text: string): number | string => (NUMBER_TEXT.test(text) ? Number(text) : text);

/** "NAME=A|B;NAME2=C" or "NAME=FROM..TO;..." split into named parts. */
function namedParts(spec: string, rest: string, form: string): { label: string; text: string }[] {
  return rest.split(';').map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--stratum "${spec}": each part is ${form}, not "${part}"`);
    return { label: part.slice(0, eq).trim(), text: part.slice(eq + 1).trim() };
  });
}

const valueList = (text: string) =>
  text
    .split('|')
    .map((v) => v.trim())
    .filter((v) => v !== '');

/**
 * A stratification rule as `--stratum` gives it, for a field (campaigns) or a column
 * (`cplan split`): TARGET (each value a stratum), TARGET:values (the same),
 * TARGET:values:V1|V2 (the chosen values, the rest "Other"), TARGET:groups:NAME=V1|V2;NAME2=V3
 * (the rest "Other"), TARGET:ranges:B1,B2 (cut points: numbers or dates),
 * TARGET:intervals:NAME=FROM..TO;... (named closed intervals, gaps allowed, the rest
 * "Other") or TARGET:age:20-25,26-35,65+ (age in whole years from a date, the rest "Other").
 * Dates are written as the import reads them (2024-12-31 or 31.12.2024).
 */
export function parseStratumSpec(spec: string): { target: string; rule: StratumSpec } {
  const match = /^(.*?):(values|ranges|groups|intervals|age)(?::(.*))?$/s.exec(spec);
  const target = (match ? match[1]! : spec).trim();
  if (target === '') throw new UsageError(`--stratum "${spec}": name a field or column first (${STRATUM_SYNTAX})`);
  const kind = match ? match[2]! : 'values';
  const rest = match?.[3]?.trim();
  if (kind === 'values') return { target, rule: rest === undefined || rest === '' ? { kind: 'values' } : { kind: 'subset', values: valueList(rest) } };
  if (rest === undefined || rest === '') throw new UsageError(`--stratum "${spec}": give the ${kind} (${STRATUM_SYNTAX})`);
  switch (kind) {
    case 'ranges': {
      const bounds = rest.split(',').map((b) => b.trim());
      if (bounds.includes('')) throw new UsageError(`--stratum "${spec}": a bound is missing; give the cut points separated by commas, such as 18,25,35`);
      return { target, rule: { kind: 'ranges', bounds: bounds.map(boundOf) } };
    }
    case 'groups':
      return { target, rule: { kind: 'groups', groups: namedParts(spec, rest, 'NAME=V1|V2').map((p) => ({ label: p.label, values: valueList(p.text) })) } };
    case 'intervals':
      return {
        target,
        rule: {
          kind: 'intervals',
          intervals: namedParts(spec, rest, 'NAME=FROM..TO').map((p) => {
            const ends = p.text.split('..');
            if (ends.length !== 2 || ends[0]!.trim() === '' || ends[1]!.trim() === '') {
              throw new UsageError(`--stratum "${spec}": the interval "${p.label}" is NAME=FROM..TO, such as Young=01.01.2000..31.12.2004`);
            }
            return { label: p.label, from: boundOf(ends[0]!.trim()), to: boundOf(ends[1]!.trim()) };
          }),
        },
      };
    default: {
      const ages = parseAgeIntervals(rest);
      if (!ages.ok) throw new UsageError(`--stratum "${spec}": ${ages.problem}`);
      return { target, rule: { kind: 'age', intervals: ages.intervals } };
    }
  }
}

/**
 * The stratum scheme's own check of a rule (shared/split/stratum-rules.ts), before the
 * engine's argument schema sees it: a rule over the schema's limits (51 cut points, an
 * empty list) is refused in the scheme's words, never as "Invalid arguments for ...".
 */
export function requireUsableRule(rule: StratumSpec, target: StratumTarget): void {
  const checked = checkRule(rule, target);
  if (!checked.ok) throw new EngineError('INVALID_ARGUMENT', checked.problem);
}

/** A stratification rule of a campaign: the rule of parseStratumSpec on a field of the database. */
export function parseStratumRule(spec: string, fields: readonly Field[], databaseName: string): StratumRule {
  const { target, rule } = parseStratumSpec(spec);
  const field = resolveField(fields, target, databaseName);
  requireUsableRule(rule, field);
  return { ...rule, fieldId: field.id } as StratumRule;
}

/** "none" clears a percentage or a limit. */
const isNone = (value: string | undefined) => value !== undefined && /^(none|off|-)$/i.test(value.trim());

/**
 * LCG settings from --percent, --limit, --stratum and --no-strata, on top of `base` (a
 * campaign's current settings; nothing by default): what is given replaces, the rest stays.
 */
export async function lcgFromOptions(engine: CliEngine, values: Values, database: { id: number; name: string }, base?: LcgSettings): Promise<LcgSettings> {
  const percentText = stringOption(values, 'percent');
  const limitText = stringOption(values, 'limit');
  const percent = isNone(percentText) ? null : (percentOption(values) ?? base?.percent ?? null);
  const limit = isNone(limitText) ? null : (integerOption(values, 'limit') ?? base?.limit ?? null);
  const specs = listOption(values, 'stratum');
  if (specs.length > 0 && flag(values, 'no-strata')) throw new UsageError('--stratum and --no-strata cannot both be given');
  let strata = base?.strata ?? [];
  if (flag(values, 'no-strata')) strata = [];
  if (specs.length > 0) {
    const fields = await databaseFields(engine, database.id);
    strata = specs.map((spec) => parseStratumRule(spec, fields, database.name));
  }
  return { percent, limit, strata: [...strata] };
}

/** "10 % (limit 5,000), stratified by gender, age" */
export function describeLcg(lcg: LcgSettings, fields: readonly Field[] = []): string {
  const size = [lcg.percent === null ? null : `${lcg.percent} %`, lcg.limit === null ? null : `limit ${formatCount(lcg.limit)}`].filter((x) => x !== null);
  if (size.length === 0) return 'no LCG';
  const names = lcg.strata.map((s) => fields.find((f) => f.id === s.fieldId)?.name ?? `field ${s.fieldId}`);
  return `${size.join(', ')}${names.length > 0 ? `, stratified by ${names.join(', ')}` : ''}`;
}
