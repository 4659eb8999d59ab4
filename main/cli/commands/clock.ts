import { ClockStep, type AgendaItem, type ClockAdvanceResult, type ClockItem, type ClockStepReport } from '../../../shared/contract/clock';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError } from '../command';
import { table } from '../text-table';
import { actionCommand, integerOption, plural, requiredOption, stringOption, type Values } from './plan-args';
import { withTerminalProgress } from './project-args';

const clockText = (clock: string) => clock.replace('T', ' ');

/** --to TIME: a date-time of the project clock. */
function toOption(values: Values): string {
  const to = requiredOption(values, 'to', 'TIME (2026-04-10T10:00)');
  if (!isClockTime(to)) throw new UsageError(`--to must be a date-time like 2026-04-10T10:00, not "${to}"`);
  return to;
}

/** --step 1d, read by the contract's own rule (shared/contract/clock.ts). */
function stepOption(values: Values): string | undefined {
  const step = stringOption(values, 'step');
  if (step === undefined) return undefined;
  const reading = ClockStep.safeParse(step);
  if (!reading.success) throw new UsageError(`--step "${step}": ${reading.error.issues[0]?.message ?? 'not a step'}`);
  return reading.data;
}

/** Campaign names by id, for the items that name a campaign by its id. */
async function campaignNames(engine: CliEngine): Promise<ReadonlyMap<number, string>> {
  return new Map((await engine.call('campaign/list', { includeDeleted: true })).map((c) => [c.id, c.name]));
}

const campaignOf = (names: ReadonlyMap<number, string>, id: number | null) => (id === null ? '' : (names.get(id) ?? String(id)));

function itemTable(items: readonly ClockItem[], names: ReadonlyMap<number, string>, withCount: boolean): string {
  const header = ['At', 'What', 'Campaign', ...(withCount ? ['Count'] : []), 'Detail'];
  const rows = items.map((i) => [
    clockText(i.at),
    i.title,
    campaignOf(names, i.campaignId),
    ...(withCount ? [i.count === null ? '-' : formatCount(i.count)] : []),
    i.detail,
  ]);
  return table(header, rows, withCount ? ['left', 'left', 'left', 'right'] : []);
}

function changeTable(step: ClockStepReport): string {
  return table(
    ['Campaign', 'Test', 'LCG', 'Joined', 'Left'],
    step.campaigns.map((c) => [c.name, formatCount(c.test), formatCount(c.control), formatCount(c.joined), formatCount(c.left)]),
    ['left', 'right', 'right', 'right', 'right'],
  );
}

const quiet = (step: ClockStepReport) => step.items.length === 0 && step.campaigns.length === 0;

/**
 * What an advance did, step by step: what ran (in time order) and how the campaigns
 * changed; a run of steps where nothing happened is one line.
 */
export function advanceText(result: ClockAdvanceResult, names: ReadonlyMap<number, string>): string {
  const steps = result.steps;
  const lines = [`Project clock: ${formatClock(result.clock)} (${result.clock}), moved from ${clockText(result.from)}${steps.length > 1 ? ` in ${formatCount(steps.length)} steps` : ''}.`];
  for (let i = 0; i < steps.length; ) {
    const step = steps[i]!;
    if (quiet(step)) {
      let last = i;
      while (last + 1 < steps.length && quiet(steps[last + 1]!)) last += 1;
      const count = last - i + 1;
      lines.push('', `${clockText(step.from)} to ${clockText(steps[last]!.to)}: nothing ran${count > 1 ? ` (${formatCount(count)} steps)` : ''}.`);
      i = last + 1;
      continue;
    }
    lines.push('', `${clockText(step.from)} to ${clockText(step.to)}:`);
    lines.push(step.items.length === 0 ? '  nothing ran' : itemTable(step.items, names, false));
    if (step.campaigns.length > 0) lines.push('', changeTable(step));
    i += 1;
  }
  return lines.join('\n');
}

function agendaText(clock: string, items: readonly AgendaItem[], names: ReadonlyMap<number, string>): string {
  const head = `Project clock: ${formatClock(clock)} (${clock}).`;
  if (items.length === 0) return `${head}\nNothing is scheduled: no updatable segment, waiting campaign or launched activity.`;
  const rows = items.map((i) => [i.at === null ? 'on events' : clockText(i.at), i.title, campaignOf(names, i.campaignId), i.detail]);
  return `${head}\n\n${table(['Next', 'What', 'Campaign', 'Detail'], rows)}`;
}

export const clockCommand = actionCommand({
  name: 'clock',
  summary: 'Show the project clock, see what is scheduled, and move it forward (everything due on the way runs)',
  usage: 'clock show|agenda|plan|advance FILE.cplan [--to 2026-04-10T10:00] [--step 1d]',
  help: `Actions:
  show FILE                    the project clock
  agenda FILE [--limit N]      what is scheduled next (20 items by default, at most
                               1000): recalculations of updatable segments, waiting
                               campaigns, launched activities, scenario ends
  plan FILE --to TIME          what advancing to TIME would run on the way, in time
                               order, with counts where they are known (changes nothing)
  advance FILE --to TIME [--step STEP]
                               move the clock forward to TIME; everything that falls
                               due on the way runs, in time order, each at its own time
                               (at the same minute: recalculations, then activations,
                               then activity runs). With --step (30m, 6h, 1d, 1w) the
                               clock stops after each step and each step is reported;
                               without it, one step to TIME

What runs: recalculations of updatable segments on their schedules (the campaigns on them
follow: leavers get a "Campaign exit", newcomers are split), delayed activations, and the
activities launched with "cplan activity launch": a broadcast or an A/B test once at its
time, a regular mailing on its schedule, a triggered mailing for each event of its type, a
scenario's entries and ends, a placement after each change of its campaign's audience.
Activities run only while their campaign is active.

The project clock is a date-time without a time zone, so a plan means the same moment on
every machine. It only moves forward: to replay a history again, clone the project file
first. An advance is one change: saved to FILE (atomically) when it ends, and an advance
that fails or is interrupted (Ctrl+C) leaves FILE as it was.

Examples:
  cplan clock agenda spring.cplan
  cplan clock plan spring.cplan --to 2026-05-01T00:00
  cplan clock advance spring.cplan --to 2026-05-01T00:00 --step 1d
  cplan clock advance spring.cplan --to 2026-04-13T09:00 --json`,
  options: {
    to: { type: 'string' },
    step: { type: 'string' },
    limit: { type: 'string' },
  },
  actions: {
    show: {
      args: '',
      min: 0,
      max: 0,
      async run({ engine }) {
        const state = await engine.call('project/state', {});
        const clock = state.open ? state.clock : null;
        return { data: { clock }, text: clock === null ? 'No project is open.' : `Project clock: ${formatClock(clock)} (${clock}).` };
      },
    },
    agenda: {
      args: '[--limit N]',
      min: 0,
      max: 0,
      options: ['limit'],
      async run({ engine, values }) {
        const limit = integerOption(values, 'limit', 1) ?? 20;
        if (limit > 1000) throw new UsageError('--limit can be at most 1000');
        const agenda = await engine.call('clock/agenda', { limit });
        return { data: agenda, text: agendaText(agenda.clock, agenda.items, await campaignNames(engine)) };
      },
    },
    plan: {
      args: '--to TIME',
      min: 0,
      max: 0,
      options: ['to'],
      async run({ engine, values }) {
        const plan = await engine.call('clock/plan', { to: toOption(values) });
        const head = `Advancing the clock from ${clockText(plan.from)} to ${clockText(plan.to)} would run ${plural(plan.items.length, 'item')}${plan.truncated ? ' (and more: the list stops there)' : ''}.`;
        return { data: plan, text: plan.items.length === 0 ? head : `${head}\n\n${itemTable(plan.items, await campaignNames(engine), true)}` };
      },
    },
    advance: {
      args: '--to TIME [--step STEP]',
      min: 0,
      max: 0,
      options: ['to', 'step'],
      async run(context) {
        const { engine, values } = context;
        const to = toOption(values);
        const step = stepOption(values);
        const result = await withTerminalProgress(engine, () => engine.call('clock/advance', { to, ...(step === undefined ? {} : { step }) }));
        await context.save();
        return { data: result, text: advanceText(result, await campaignNames(engine)) };
      },
    },
  },
});
