import { isClockTime } from '../../../shared/domain/clock';
import { formatClock } from '../../../shared/format';
import { UsageError } from '../command';
import { table } from '../text-table';
import { actionCommand, requiredOption } from './plan-args';
import { withTerminalProgress } from './project-args';

export const clockCommand = actionCommand({
  name: 'clock',
  summary: "Show the project clock, or move it forward (delayed activations fall due)",
  usage: 'clock show|advance FILE.cplan [--to 2026-04-10T10:00]',
  help: `Actions:
  show FILE                  the project clock
  advance FILE --to TIME     move it forward to TIME (2026-04-10T10:00); campaigns waiting
                             for a time on the way start, in order, and say what happened

The project clock is a date-time without a time zone, so a plan means the same moment on
every machine. It only moves forward. Changes are saved to FILE (atomically).

Example:
  cplan clock advance spring.cplan --to 2026-04-13T09:00`,
  options: {
    to: { type: 'string' },
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
    advance: {
      args: '--to TIME',
      min: 0,
      max: 0,
      options: ['to'],
      async run(context) {
        const { engine, values } = context;
        const to = requiredOption(values, 'to', 'TIME (2026-04-10T10:00)');
        if (!isClockTime(to)) throw new UsageError(`--to must be a date-time like 2026-04-10T10:00, not "${to}"`);
        const result = await withTerminalProgress(engine, () => engine.call('clock/advance', { to }));
        await context.save();
        const lines = [`Project clock: ${formatClock(result.clock)} (${result.clock}).`];
        const items = result.steps.flatMap((s) => s.items);
        if (items.length > 0) {
          lines.push('', table(['At', 'What', 'What happened'], items.map((f) => [f.at.replace('T', ' '), f.title, f.detail])));
        }
        return { data: result, text: lines.join('\n') };
      },
    },
  },
});
