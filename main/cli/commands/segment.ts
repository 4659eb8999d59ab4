import { resolve } from 'node:path';
import type { MembershipChange, Segment } from '../../../shared/contract/segments';
import type { ProfilePage } from '../../../shared/contract/profiles';
import { formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError } from '../command';
import { table } from '../text-table';
import { csvOverrides } from './import-mapping';
import { actionCommand, integerOption, paging, plural, profileIdArgs, requiredOption, resolveDatabase, resolveSegment, stringOption, type Action, type ActionContext } from './plan-args';
import { withTerminalProgress } from './project-args';
import { parseCondition } from '../../../shared/conditions/parse';
import { recalculationOption, scheduleOption, segmentTypeActions, typeOption } from './segment-types';

const CSV_OPTIONS = ['encoding', 'delimiter', 'header', 'no-header'];

function sourceText(segment: Segment): string {
  switch (segment.source.kind) {
    case 'all':
      return 'all profiles';
    case 'import':
      return `import #${segment.source.importId}`;
    case 'csv':
      return `IDs from ${segment.source.fileName}`;
    case 'manual':
      return 'by hand';
    case 'condition':
      return segment.kind === 'static' ? `where ${segment.source.where} (on ${segment.source.clock})` : `${segment.kind}: where ${segment.where ?? segment.source.where}`;
  }
}

function usedText(segment: Segment): string {
  const parts = [];
  if (segment.usedBy.campaigns > 0) parts.push(plural(segment.usedBy.campaigns, 'campaign'));
  if (segment.usedBy.activities > 0) parts.push(plural(segment.usedBy.activities, 'activity', 'activities'));
  return parts.length === 0 ? '-' : parts.join(', ');
}

function changeText(verb: string, change: MembershipChange): string {
  const lines = [`${verb} ${plural(change.changed, 'profile')}; "${change.segment.name}" has ${plural(change.segment.size, 'profile')}.`];
  if (change.unchanged > 0) lines.push(`${plural(change.unchanged, 'ID')} ${verb === 'Added' ? 'already in the segment' : 'not in the segment'}.`);
  if (change.notFoundCount > 0) {
    const more = change.notFoundCount > change.notFound.length ? ` and ${formatCount(change.notFoundCount - change.notFound.length)} more` : '';
    lines.push(`${plural(change.notFoundCount, 'ID')} not in the database: ${change.notFound.join(', ')}${more}.`);
  }
  return lines.join('\n');
}

/** A page of profiles as a table: ID, status, and the first few fields. */
export async function profilePageText(engine: CliEngine, page: ProfilePage, extra: { header: string; values: readonly string[] }[] = []): Promise<string> {
  if (page.rows.length === 0) return page.total === 0 ? 'No profiles.' : `No profiles from ${formatCount(page.offset + 1)} on (${plural(page.total, 'profile')} in all).`;
  const { fields } = await engine.call('database/get', { databaseId: page.databaseId });
  const shown = page.fieldIds.slice(0, 4);
  const names = shown.map((id) => fields.find((f) => f.id === id)?.name ?? `field ${id}`);
  const rows = page.rows.map((row, i) => [
    row.profileId,
    ...extra.map((e) => e.values[i] ?? ''),
    row.subscription,
    ...shown.map((_, k) => {
      const value = row.values[k];
      return value === null || value === undefined ? '' : String(value);
    }),
  ]);
  const to = page.offset + page.rows.length;
  return `${table(['Profile ID', ...extra.map((e) => e.header), 'Status', ...names], rows)}\n\nProfiles ${formatCount(page.offset + 1)}-${formatCount(to)} of ${formatCount(page.total)}.`;
}

async function segmentOf(context: ActionContext, nameOrId: string): Promise<Segment> {
  const databaseName = stringOption(context.values, 'database');
  const database = databaseName === undefined ? undefined : await resolveDatabase(context.engine, databaseName);
  return resolveSegment(context.engine, nameOrId, database?.id);
}

/** `--from all | empty | import:ID | csv:PATH` as the contract's source. */
function parseSource(from: string, values: ActionContext['values']) {
  if (from === 'all') return { kind: 'all' as const };
  if (from === 'empty') return { kind: 'empty' as const };
  const importMatch = /^import:(\d+)$/.exec(from);
  if (importMatch) return { kind: 'import' as const, importId: Number(importMatch[1]) };
  if (from.startsWith('csv:') && from.length > 4) {
    const column = stringOption(values, 'id-column');
    const options = csvOverrides(values);
    return {
      kind: 'csv' as const,
      path: resolve(from.slice(4)),
      ...(column === undefined ? {} : { column: /^#\d+$/.test(column) ? Number(column.slice(1)) - 1 : column }),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    };
  }
  throw new UsageError(`--from must be all, empty, import:ID or csv:PATH, not "${from}"`);
}

/** `--where`, read here first so that a condition that does not read stops with exit code 2 and a caret under the mistake. */
function whereOption(values: ActionContext['values']): string | undefined {
  const where = stringOption(values, 'where');
  if (where === undefined) return undefined;
  const parsed = parseCondition(where);
  if (!parsed.ok) {
    const { message, line, column, excerpt } = parsed.error;
    throw new UsageError(`The condition in --where does not read at line ${line}, column ${column}: ${message}`, excerpt);
  }
  return where;
}

/** `add` and `remove`: profiles by ID into or out of a segment. */
const membershipAction = (method: 'segment/addProfiles' | 'segment/removeProfiles', verb: string): Action => ({
  args: 'SEGMENT ID [ID ...]',
  min: 2,
  max: 100_001,
  options: ['database'],
  async run(context) {
    const segment = await segmentOf(context, context.args[0]!);
    const result: MembershipChange = await context.engine.call(method, { segmentId: segment.id, profileIds: profileIdArgs(context.args.slice(1)) });
    await context.save();
    return { data: result, text: changeText(verb, result) };
  },
});

export const segmentCommand = actionCommand({
  name: 'segment',
  summary: 'List, create, show, recalculate, rename or delete segments; add, remove and list their profiles',
  usage: 'segment list|create|preview|show|recalculate|history|rename|delete|add|remove|members FILE.cplan [SEGMENT] [...]',
  help: `Actions:
  list FILE [--database DB]                  segments with sizes and what uses them
  create FILE NAME --database DB --from SRC  a static segment; SRC is one of
                                               all          every profile of the database
                                               empty        no profiles (add them later)
                                               import:ID    the profiles of one import
                                               csv:PATH     the IDs of a CSV file (--id-column C,
                                                            --encoding, --delimiter, --no-header)
  create FILE NAME --database DB --where COND [--type static]
                                             a static segment of the profiles COND gives now
                                             (on the project clock), kept as they are
  create FILE NAME --database DB --type updatable --where COND --schedule WHEN
                                             recalculated from COND on a schedule and by
                                             "recalculate"; calculated now as recalculation 1.
                                             WHEN: "every 6 hours", "daily 09:00",
                                             "weekly mon,thu 10:00" or "monthly 1 08:00"
  create FILE NAME --database DB --type dynamic --where COND
                                             COND evaluated anew at each use (members, export,
                                             campaign activation, each activity run)
  preview FILE --database DB --where COND [--limit N]
                                             how many profiles COND gives now, and the first N (10)
  show FILE SEGMENT                          type, condition, schedule, next and last
                                             recalculation, size and what uses it
  recalculate FILE SEGMENT                   an updatable segment now, on the project clock:
                                             who joined and left, and each active campaign on
                                             it, which follows at once
  history FILE SEGMENT                       the recalculations of an updatable segment, newest first
  rename FILE SEGMENT NEW_NAME
  delete FILE SEGMENT                        only when no campaign or activity uses it
  add FILE SEGMENT ID [ID ...]               add profiles by ID (also ID,ID,...); static only
  remove FILE SEGMENT ID [ID ...]            remove profiles by ID; static only
  members FILE SEGMENT [--recalculation N] [--offset N] [--limit N]
                                             a page of its profiles (an updatable segment's
                                             as of recalculation N)

SEGMENT is a name (without case) or an id; --database DB chooses among segments of the
same name in several databases. Changes are saved to FILE (atomically).

Examples:
  cplan segment create spring.cplan "Moscow VIP" --database Customers --from csv:vip.csv
  cplan segment add spring.cplan "Moscow VIP" 000123 000456
  cplan segment list spring.cplan --json
  cplan segment preview spring.cplan --database Customers --where 'event purchase count >= 2 in last 30 days'
  cplan segment create spring.cplan "Buyers" --database Customers --where 'city in ("Moscow", "Kazan")'
  cplan segment create spring.cplan "Weekly buyers" --database Customers --type updatable \
      --where 'event purchase in last 7 days' --schedule 'weekly mon 10:00'
  cplan segment recalculate spring.cplan "Weekly buyers"
  cplan segment members spring.cplan "Weekly buyers" --recalculation 1
  cplan export spring.cplan buyers-1.csv --database Customers --segment "Weekly buyers" --recalculation 1

COND is a condition in the condition language (README, "Conditions"). A condition that
does not read stops with exit code 2 and a caret under the mistake; one the database
cannot evaluate (an unknown field, a value of the wrong type) with exit code 1; so does a
schedule that does not read (exit code 2, a caret under the mistake). Updatable and dynamic
segments are not edited by hand (add, remove); a campaign on one takes no profiles by hand
and no audience expansion (README, "Segment types").`,
  options: {
    database: { type: 'string' },
    from: { type: 'string' },
    'id-column': { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
    offset: { type: 'string' },
    limit: { type: 'string' },
    where: { type: 'string' },
    type: { type: 'string' },
    schedule: { type: 'string' },
    recalculation: { type: 'string' },
  },
  actions: {
    list: {
      args: '',
      min: 0,
      max: 0,
      options: ['database'],
      async run({ engine, values }) {
        const databaseName = stringOption(values, 'database');
        const database = databaseName === undefined ? undefined : await resolveDatabase(engine, databaseName);
        const segments = await engine.call('segment/list', database === undefined ? {} : { databaseId: database.id });
        const databases = await engine.call('database/list', {});
        const dbName = (id: number) => databases.find((d) => d.id === id)?.name ?? String(id);
        const text =
          segments.length === 0
            ? 'No segments.'
            : table(
                ['Id', 'Name', 'Database', 'Profiles', 'Made from', 'Used by'],
                segments.map((s) => [String(s.id), s.name, dbName(s.databaseId), formatCount(s.size), sourceText(s), usedText(s)]),
                ['right', 'left', 'left', 'right'],
              );
        return { data: segments, text };
      },
    },
    create: {
      args: 'NAME --database DB --from SOURCE | --where COND [--type static|updatable|dynamic] [--schedule WHEN]',
      min: 1,
      max: 1,
      options: ['database', 'from', 'where', 'type', 'schedule', 'id-column', ...CSV_OPTIONS],
      async run(context) {
        const { engine, values, args } = context;
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const type = typeOption(values);
        const where = whereOption(values);
        const schedule = scheduleOption(values);
        if (where !== undefined && stringOption(values, 'from') !== undefined) throw new UsageError('Give either --from SOURCE or --where COND, not both');
        if (type !== 'static' && where === undefined) throw new UsageError(`An ${type} segment is made from a condition: give --where COND`);
        if (type === 'updatable' && schedule === undefined) throw new UsageError("An updatable segment needs --schedule WHEN, such as 'weekly mon 10:00'");
        if (type !== 'updatable' && schedule !== undefined) throw new UsageError(`--schedule goes with --type updatable only; a ${type} segment has no schedule`);
        const from = where !== undefined ? { kind: 'condition' as const, where } : parseSource(requiredOption(values, 'from', 'SOURCE (all, empty, import:ID or csv:PATH) or --where COND'), values);
        if (from.kind !== 'csv' && (stringOption(values, 'id-column') !== undefined || CSV_OPTIONS.some((o) => values[o] !== undefined))) {
          throw new UsageError('--id-column and the CSV options go with --from csv:PATH');
        }
        const result = await withTerminalProgress(engine, () =>
          engine.call('segment/create', { databaseId: database.id, name: args[0]!, type, ...(schedule === undefined ? {} : { schedule }), from }),
        );
        await context.save();
        const clock = result.segment.source.kind === 'condition' ? ` (the condition on ${result.segment.source.clock.replace('T', ' ')})` : '';
        const kind = type === 'static' ? 'segment' : `${type} segment`;
        const next = result.segment.nextRecalculation === null ? '' : ` Next recalculation: ${result.segment.nextRecalculation.replace('T', ' ')}.`;
        const text = `Created the ${kind} "${result.segment.name}" in "${database.name}" with ${plural(result.segment.size, 'profile')}${clock}.${next}` +
          (result.notFoundCount > 0 ? `\n${changeText('Added', result).split('\n').slice(1).join('\n')}` : '');
        return { data: result, text: text.trimEnd() };
      },
    },
    preview: {
      args: '--database DB --where COND [--limit N]',
      min: 0,
      max: 0,
      options: ['database', 'where', 'limit'],
      async run({ engine, values }) {
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const where = whereOption(values) ?? requiredOption(values, 'where', 'COND');
        const limit = integerOption(values, 'limit') ?? 10;
        if (limit > 1000) throw new UsageError('--limit can be at most 1000');
        const preview = await engine.call('segment/preview', { databaseId: database.id, where, limit });
        const head = `${plural(preview.total, 'profile')} of "${database.name}" match ${preview.where} (on ${preview.clock.replace('T', ' ')}).`;
        return { data: preview, text: limit === 0 || preview.total === 0 ? head : `${head}\n\n${await profilePageText(engine, preview.page)}` };
      },
    },
    rename: {
      args: 'SEGMENT NEW_NAME',
      min: 2,
      max: 2,
      options: ['database'],
      async run(context) {
        const segment = await segmentOf(context, context.args[0]!);
        const renamed = await context.engine.call('segment/rename', { segmentId: segment.id, name: context.args[1]! });
        await context.save();
        return { data: renamed, text: `Renamed the segment "${segment.name}" to "${renamed.name}".` };
      },
    },
    delete: {
      args: 'SEGMENT',
      min: 1,
      max: 1,
      options: ['database'],
      async run(context) {
        const segment = await segmentOf(context, context.args[0]!);
        const deleted = await context.engine.call('segment/delete', { segmentId: segment.id });
        await context.save();
        return { data: deleted, text: `Deleted the segment "${segment.name}" (${plural(deleted.members, 'profile')}; the profiles stay in the database).` };
      },
    },
    ...segmentTypeActions(segmentOf, { source: sourceText, used: usedText }),
    add: membershipAction('segment/addProfiles', 'Added'),
    remove: membershipAction('segment/removeProfiles', 'Removed'),
    members: {
      args: 'SEGMENT',
      min: 1,
      max: 1,
      options: ['database', 'offset', 'limit', 'recalculation'],
      async run(context) {
        const segment = await segmentOf(context, context.args[0]!);
        const recalculation = recalculationOption(context.values);
        const page = await context.engine.call('segment/members', { segmentId: segment.id, ...paging(context.values), ...(recalculation === undefined ? {} : { recalculation }) });
        const asOf = recalculation === undefined ? '' : ` as of recalculation #${recalculation}`;
        return { data: page, text: `Segment "${segment.name}"${asOf}\n\n${await profilePageText(context.engine, page)}` };
      },
    },
  },
});
