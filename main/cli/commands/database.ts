import type { DatabaseDetail, FieldDraft } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import { FIELD_TYPES, FIELD_TYPE_LABELS, SUBSCRIPTION_STATUSES, type FieldType } from '../../../shared/domain/profiles';
import { formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError, type Command, type CommandOutput } from '../command';
import { table } from '../text-table';
import { CLEAN_OPTION, findDatabase, openProjectFile, projectPath } from './project-args';

const TYPE_ALIASES: Readonly<Record<string, FieldType>> = {
  ...Object.fromEntries(FIELD_TYPES.map((t) => [t, t])),
  text: 'string',
  int: 'number',
  integer: 'number',
  float: 'number',
  'date-time': 'datetime',
  bool: 'boolean',
  yesno: 'boolean',
};

/** "name:type" or "name:enum:v1|v2|v3" as a field to create. */
export function parseFieldSpec(spec: string): FieldDraft {
  const first = spec.indexOf(':');
  if (first <= 0) throw new UsageError(`--field "${spec}": expected NAME:TYPE, for example age:number or tier:enum:gold|silver`);
  const name = spec.slice(0, first).trim();
  const rest = spec.slice(first + 1);
  const second = rest.indexOf(':');
  const typeName = (second === -1 ? rest : rest.slice(0, second)).trim().toLowerCase();
  const type = TYPE_ALIASES[typeName];
  if (!type) throw new UsageError(`--field "${spec}": unknown type "${typeName}"; use ${FIELD_TYPES.join(', ')}`);
  if (type !== 'enum') {
    if (second !== -1) throw new UsageError(`--field "${spec}": only enum fields take values`);
    return { name, type };
  }
  const enumValues = second === -1 ? [] : rest.slice(second + 1).split('|').map((v) => v.trim()).filter((v) => v.length > 0);
  if (enumValues.length === 0) throw new UsageError(`--field "${spec}": an enum field needs its values, as NAME:enum:a|b|c`);
  return { name, type, enumValues };
}

/** An enum's values on one line of a table: the first ones, and how many in all (--json has them all). */
function valuesText(values: readonly string[]): string {
  const all = values.join(' | ');
  if (all.length <= 60) return all;
  let shown = '';
  for (const value of values) {
    const next = shown === '' ? value : `${shown} | ${value}`;
    if (next.length > 50) break;
    shown = next;
  }
  return `${shown} | … (${values.length} values)`;
}

function fieldsTable(detail: DatabaseDetail): string {
  const rows = detail.fields.map((f) => [f.name, f.type, valuesText(f.enumValues)]);
  return table(
    ['Field', 'Type', 'Values'],
    [['profile_id', 'system', 'the profile ID, unique'], ['subscription_status', 'system', SUBSCRIPTION_STATUSES.join(' | ')], ...rows],
  );
}

function describe(detail: DatabaseDetail): string {
  return `"${detail.name}": ${formatCount(detail.profileCount)} profiles, ${detail.fieldCount} field${detail.fieldCount === 1 ? '' : 's'}`;
}

type Action = (engine: CliEngine, args: readonly string[], values: Record<string, unknown>) => Promise<CommandOutput>;

const ACTIONS: Readonly<Record<string, { readonly args: readonly string[]; readonly run: Action }>> = {
  list: {
    args: [],
    async run(engine) {
      const databases = await engine.call('database/list', {});
      const text =
        databases.length === 0
          ? 'No profile databases.'
          : table(
              ['Name', 'Profiles', 'Fields'],
              databases.map((d) => [d.name, formatCount(d.profileCount), String(d.fieldCount)]),
              ['left', 'right', 'right'],
            );
      return { data: databases, text };
    },
  },
  create: {
    args: ['NAME'],
    async run(engine, [name], values) {
      const specs = Array.isArray(values.field) ? values.field.map(String) : [];
      const fields = specs.map(parseFieldSpec);
      const detail = await engine.call('database/create', { name: name!, fields });
      await engine.call('project/save', {});
      return { data: detail, text: `Created ${describe(detail)}.\n\n${fieldsTable(detail)}` };
    },
  },
  fields: {
    args: ['NAME'],
    async run(engine, [name]) {
      const found = await findDatabase(engine, name!);
      const detail = await engine.call('database/get', { databaseId: found.id });
      return { data: detail, text: `${describe(detail)}\n\n${fieldsTable(detail)}` };
    },
  },
  rename: {
    args: ['NAME', 'NEW_NAME'],
    async run(engine, [name, newName]) {
      const found = await findDatabase(engine, name!);
      const detail = await engine.call('database/rename', { databaseId: found.id, name: newName! });
      await engine.call('project/save', {});
      return { data: detail, text: `Renamed "${found.name}" to "${detail.name}".` };
    },
  },
  delete: {
    args: ['NAME'],
    async run(engine, [name], values) {
      const found = await findDatabase(engine, name!);
      const impact = await engine.call('database/deletionImpact', { databaseId: found.id });
      const what = `${formatCount(impact.profiles)} profiles, ${impact.fields} fields and ${impact.imports} imports`;
      if (impact.campaigns === 0 && values.yes !== true) {
        throw new EngineError('REFUSED', `Deleting "${impact.name}" removes ${what}; add --yes to confirm.`, { ...impact });
      }
      const deleted = await engine.call('database/delete', { databaseId: found.id });
      await engine.call('project/save', {});
      return { data: { ...deleted, deleted: true }, text: `Deleted "${deleted.name}" with ${what}.` };
    },
  },
};

export const databaseCommand: Command = {
  name: 'database',
  summary: 'List, create, inspect, rename or delete profile databases',
  usage: 'database list|create|fields|rename|delete FILE.cplan [NAME] [NEW_NAME] [--field NAME:TYPE[:V1|V2]]... [--yes]',
  help: `Actions:
  list FILE.cplan                     the databases with their profile and field counts
  create FILE.cplan NAME [--field F]  a new, empty database; --field once per field
  fields FILE.cplan NAME              the fields of a database with their types
  rename FILE.cplan NAME NEW_NAME     rename a database
  delete FILE.cplan NAME --yes        delete a database with its profiles, fields and
                                      import history (without --yes it says what would go)

Fields: --field NAME:TYPE, TYPE one of ${FIELD_TYPES.join(', ')} (${FIELD_TYPES.map((t) => FIELD_TYPE_LABELS[t]).join(', ')});
an enum lists its values: --field tier:enum:gold|silver|bronze. Every database also has
the system fields profile_id and subscription_status (${SUBSCRIPTION_STATUSES.join(', ')}).
Names are compared without case. Changes are saved to FILE.cplan (atomically).

Examples:
  cplan database list spring.cplan
  cplan database create spring.cplan Customers --field email:string --field age:number --field tier:enum:gold|silver
  cplan database fields spring.cplan Customers --json`,
  options: {
    ...CLEAN_OPTION,
    field: { type: 'string', multiple: true },
    yes: { type: 'boolean' },
  },
  positionals: { min: 2, max: 4 },
  async run({ values, positionals, engine }) {
    const [actionName, fileArgument, ...rest] = positionals;
    const action = actionName === undefined ? undefined : ACTIONS[actionName];
    if (!action || !Object.hasOwn(ACTIONS, actionName!)) {
      throw new UsageError(`unknown action "${actionName}"; use ${Object.keys(ACTIONS).join(', ')}`);
    }
    if (rest.length !== action.args.length) {
      throw new UsageError(`usage: cplan database ${actionName} FILE.cplan${action.args.map((a) => ` ${a}`).join('')}`);
    }
    if (values.field !== undefined && actionName !== 'create') throw new UsageError('--field goes with "create"');
    if (values.yes !== undefined && actionName !== 'delete') throw new UsageError('--yes goes with "delete"');
    const file = projectPath(fileArgument);
    await openProjectFile(engine, file, values);
    return action.run(engine, rest, values);
  },
};
