import type { GcgState } from '../../../shared/contract/gcg';
import { formatClock, formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError } from '../command';
import { profilePageText } from './segment';
import { actionCommand, flag, paging, percentOption, plural, requiredOption, resolveCampaign, resolveDatabase, stringOption } from './plan-args';
import { withTerminalProgress } from './project-args';

async function stateText(engine: CliEngine, state: GcgState, databaseName: string): Promise<string> {
  if (state.percent === 0) return `"${databaseName}" has no global control group (${plural(state.profiles, 'profile')}).`;
  const campaigns = state.exemptCampaignIds.length === 0 ? [] : await engine.call('campaign/list', { includeDeleted: true });
  const exempt = state.exemptCampaignIds.map((id) => `"${campaigns.find((c) => c.id === id)?.name ?? id}"`);
  const lines = [
    `Global control group of "${databaseName}": ${state.percent} % of the profiles, seed "${state.seed}"`,
    `  members   ${formatCount(state.size)} of ${formatCount(state.profiles)} profiles`,
    `  formed    ${state.formedClock === null ? '-' : formatClock(state.formedClock)}`,
    `  exempt    ${exempt.length === 0 ? 'no campaigns' : exempt.join(', ')}`,
  ];
  if (state.surplus > 0) lines.push(`  surplus   ${plural(state.surplus, 'member')} above the exact share (nobody is moved out)`);
  return lines.join('\n');
}

export const gcgCommand = actionCommand({
  name: 'gcg',
  summary: "Show or set a database's global control group; exempt campaigns from it",
  usage: 'gcg show|set|exempt|members FILE.cplan [CAMPAIGN] --database NAME [options]',
  help: `Actions:
  show FILE --database DB                       share, seed, size, exempt campaigns
  set FILE --database DB --percent P [--seed S] form it (a new share or seed forms it anew;
                                                --percent 0 removes it)
  exempt FILE CAMPAIGN [--undo]                 the campaign's audience keeps GCG members
                                                (--undo: it excludes them again)
  members FILE --database DB [--offset N] [--limit N]  a page of its members

The global control group is a share of a database's profiles kept out of every campaign
(except exempt ones). New profiles are assigned as they arrive; nobody moves (sticky).

Examples:
  cplan gcg set spring.cplan --database Customers --percent 5 --seed gcg-2026
  cplan gcg exempt spring.cplan "Welcome series"`,
  options: {
    database: { type: 'string' },
    percent: { type: 'string' },
    seed: { type: 'string' },
    undo: { type: 'boolean' },
    offset: { type: 'string' },
    limit: { type: 'string' },
  },
  actions: {
    show: {
      args: '--database DB',
      min: 0,
      max: 0,
      options: ['database'],
      async run({ engine, values }) {
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const state = await engine.call('gcg/get', { databaseId: database.id });
        return { data: state, text: await stateText(engine, state, database.name) };
      },
    },
    set: {
      args: '--database DB --percent P [--seed S]',
      min: 0,
      max: 0,
      options: ['database', 'percent', 'seed'],
      async run(context) {
        const { engine, values } = context;
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const percent = percentOption(values);
        if (percent === undefined) throw new UsageError('--percent P is required (0 removes the group)');
        const seed = stringOption(values, 'seed');
        const state = await withTerminalProgress(engine, () =>
          engine.call('gcg/set', { databaseId: database.id, percent, ...(seed === undefined ? {} : { seed }) }),
        );
        await context.save();
        return { data: state, text: await stateText(engine, state, database.name) };
      },
    },
    exempt: {
      args: 'CAMPAIGN [--undo]',
      min: 1,
      max: 1,
      options: ['undo', 'database'],
      async run(context) {
        const { engine, values } = context;
        const campaign = await resolveCampaign(engine, context.args[0]!);
        const exempt = !flag(values, 'undo');
        const state = await engine.call('gcg/exempt', { campaignId: campaign.id, exempt });
        await context.save();
        const text = exempt
          ? `"${campaign.name}" is exempt from the global control group of "${campaign.databaseName}": its audience keeps GCG members.`
          : `"${campaign.name}" excludes the global control group of "${campaign.databaseName}" again.`;
        return { data: state, text };
      },
    },
    members: {
      args: '--database DB',
      min: 0,
      max: 0,
      options: ['database', 'offset', 'limit'],
      async run({ engine, values }) {
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const page = await engine.call('gcg/members', { databaseId: database.id, ...paging(values) });
        return { data: page, text: `Global control group of "${database.name}"\n\n${await profilePageText(engine, page)}` };
      },
    },
  },
});
