/**
 * `cplan segment show|recalculate|history` and the options of updatable and dynamic
 * segments (--type, --schedule, --recalculation), in words and as the contract's data.
 */
import type { FollowedCampaign, Recalculation, Segment } from '../../../shared/contract/segments';
import { locate } from '../../../shared/conditions/parse';
import { describeSchedule, parseSchedule } from '../../../shared/domain/schedule';
import { formatCount } from '../../../shared/format';
import { UsageError, type CommandOutput } from '../command';
import { table } from '../text-table';
import { integerOption, plural, stringOption, type Action, type ActionContext, type Values } from './plan-args';

export const SEGMENT_TYPES = ['static', 'updatable', 'dynamic'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** `--type`: static by default. */
export function typeOption(values: Values): SegmentType {
  const type = stringOption(values, 'type') ?? 'static';
  if (!(SEGMENT_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be static, updatable or dynamic, not "${type}"`);
  return type as SegmentType;
}

/** `--schedule`, read here first so that a schedule that does not read stops with exit code 2 and a caret under the mistake. */
export function scheduleOption(values: Values): string | undefined {
  const schedule = stringOption(values, 'schedule');
  if (schedule === undefined) return undefined;
  const reading = parseSchedule(schedule);
  if (!reading.ok) {
    const at = locate(schedule, reading.at);
    throw new UsageError(`The schedule in --schedule does not read at column ${at.column}: ${reading.problem}`, at.excerpt);
  }
  return schedule;
}

/** `--recalculation N`: a past recalculation of an updatable segment (its number, from 1). */
export function recalculationOption(values: Values): number | undefined {
  return integerOption(values, 'recalculation', 1);
}

const clockText = (clock: string) => clock.replace('T', ' ');

function recalculationText(r: Recalculation): string {
  return `#${r.number} on ${clockText(r.clock)} (${r.reason}): ${plural(r.size, 'profile')}, ${formatCount(r.joined)} joined, ${formatCount(r.left)} left`;
}

/** "Every Monday at 10:00 (weekly mon 10:00)". */
export function scheduleText(schedule: string): string {
  const reading = parseSchedule(schedule);
  return reading.ok ? `${describeSchedule(reading.schedule)} (${schedule})` : `${schedule} (does not read)`;
}

/** Everything `segment show` says of a segment, one line each. */
export function segmentShowText(segment: Segment, source: string, used: string): string {
  const lines: [string, string][] = [['Type', segment.kind]];
  if (segment.kind === 'static') lines.push(['Made from', source]);
  else lines.push(['Condition', segment.where ?? '(none)']);
  if (segment.kind === 'updatable') {
    lines.push(['Schedule', segment.schedule === null ? '(none)' : scheduleText(segment.schedule)]);
    lines.push(['Next recalculation', segment.nextRecalculation === null ? '-' : clockText(segment.nextRecalculation)]);
    lines.push(['Last recalculation', segment.lastRecalculation === null ? '-' : recalculationText(segment.lastRecalculation)]);
  }
  if (segment.kind === 'dynamic') lines.push(['Evaluated', segment.evaluatedClock === null ? '-' : `on ${clockText(segment.evaluatedClock)} (anew at each use)`]);
  lines.push(['Profiles', formatCount(segment.size)], ['Used by', used], ['Created', clockText(segment.createdClock)]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return [`Segment "${segment.name}"`, ...lines.map(([k, v]) => `  ${`${k}:`.padEnd(width + 2)}${v}`)].join('\n');
}

function followedText(campaigns: readonly FollowedCampaign[]): string {
  if (campaigns.length === 0) return 'No active campaign is on it.';
  return `Active campaigns that followed:\n${table(
    ['Campaign', 'Joined', 'Left'],
    campaigns.map((c) => [c.name, formatCount(c.joined), formatCount(c.left)]),
    ['left', 'right', 'right'],
  )}`;
}

/** The actions of updatable segments, for the segment command. */
export function segmentTypeActions(segmentOf: (context: ActionContext, nameOrId: string) => Promise<Segment>, texts: { source(s: Segment): string; used(s: Segment): string }): Record<string, Action> {
  const onSegment = (run: (context: ActionContext, segment: Segment) => Promise<CommandOutput>): Action => ({
    args: 'SEGMENT',
    min: 1,
    max: 1,
    options: ['database'],
    async run(context) {
      return run(context, await segmentOf(context, context.args[0]!));
    },
  });
  return {
    show: onSegment(async ({ engine }, found) => {
      const segment = await engine.call('segment/get', { segmentId: found.id });
      return { data: segment, text: segmentShowText(segment, texts.source(segment), texts.used(segment)) };
    }),
    recalculate: onSegment(async (context, found) => {
      const result = await context.engine.call('segment/recalculate', { segmentId: found.id });
      await context.save();
      const r = result.recalculation;
      const head = `Recalculated "${result.segment.name}" on ${clockText(r.clock)} (recalculation #${r.number}): ${formatCount(r.joined)} joined, ${formatCount(r.left)} left; it has ${plural(r.size, 'profile')}.`;
      return { data: result, text: `${head}\n${followedText(result.campaigns)}` };
    }),
    history: onSegment(async ({ engine }, found) => {
      const history = await engine.call('segment/history', { segmentId: found.id });
      const text = table(
        ['#', 'Clock', 'Why', 'Profiles', 'Joined', 'Left'],
        history.map((r) => [String(r.number), clockText(r.clock), r.reason, formatCount(r.size), formatCount(r.joined), formatCount(r.left)]),
        ['right', 'left', 'left', 'right', 'right', 'right'],
      );
      return { data: history, text: `Recalculations of "${found.name}", newest first:\n\n${text}` };
    }),
  };
}
