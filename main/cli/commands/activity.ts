import { resolve } from 'node:path';
import { ACTIVITY_TYPES, ACTIVITY_TYPE_LABELS, type Activity, type ActivityRun, type ActivityType } from '../../../shared/contract/activities';
import type { Campaign } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { leftOutText } from '../../../shared/domain/left-out';
import { formatBytes, formatClock, formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError, type CommandOutput } from '../command';
import { table } from '../text-table';
import {
  actionCommand,
  allActivities,
  flag,
  listOption,
  paging,
  plural,
  requiredOption,
  resolveActivity,
  resolveCampaign,
  resolveDatabase,
  resolveSegment,
  stringOption,
  type Action,
  type ActionContext,
  type Values,
} from './plan-args';
import { suggestForce, withTerminalProgress } from './project-args';
import { clockLines, launchActions, runClockText, TIMING_OPTIONS, timingShort } from './activity-timing';
import { profilePageText } from './segment';

const TYPE_NAMES: Readonly<Record<string, ActivityType>> = {
  ...Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, t])),
  ...Object.fromEntries(ACTIVITY_TYPES.map((t) => [t.replace('_', '-'), t])),
  ab: 'ab_test',
  'a/b': 'ab_test',
  regular: 'regular_mailing',
  triggered: 'triggered_mailing',
};

function parseType(text: string): ActivityType {
  const type = TYPE_NAMES[text.trim().toLowerCase()];
  if (!type) throw new UsageError(`--type must be one of ${ACTIVITY_TYPES.join(', ')}, not "${text}"`);
  return type;
}

/** --variant NAME=PERCENT (repeatable). */
function parseVariants(values: Values): { name: string; percent: number }[] | undefined {
  const specs = listOption(values, 'variant');
  if (specs.length === 0) return undefined;
  return specs.map((spec) => {
    const eq = spec.lastIndexOf('=');
    const percent = eq > 0 ? spec.slice(eq + 1).trim().replace(/%$/, '') : '';
    if (eq <= 0 || !/^\d{1,3}(\.\d{1,2})?$/.test(percent)) throw new UsageError(`--variant "${spec}": expected NAME=PERCENT, for example A=50`);
    return { name: spec.slice(0, eq).trim(), percent: Number(percent) };
  });
}

function runText(run: ActivityRun, ignoreLcg: boolean): string {
  const parts = [`${formatCount(run.test)} test`];
  if (ignoreLcg) parts.push(`${formatCount(run.control)} LCG`);
  if (run.expanded > 0) parts.push(`${formatCount(run.expanded)} added by audience expansion`);
  const variants = Object.entries(run.variants).map(([name, n]) => `${name} ${formatCount(n)}`);
  const left = run.leftOut === null ? '' : leftOutText(run.leftOut);
  const gained = run.gainedCampaigns.map((g) => `"${g.name}" +${formatCount(g.joined)}`);
  return (
    `run ${run.id} at ${formatClock(run.clock)} (${runClockText(run)}): ${parts.join(', ')}${variants.length > 0 ? ` (variants: ${variants.join(', ')})` : ''}` +
    `${left === '' ? '' : `; left out: ${left}`}${gained.length === 0 ? '' : `; other campaigns on the segment gained profiles: ${gained.join(', ')}`}`
  );
}

async function describe(engine: CliEngine, activity: Activity): Promise<string> {
  const where = activity.campaignId === null ? 'the external list' : `the campaign "${(await resolveCampaign(engine, String(activity.campaignId))).name}"`;
  let segment = 'the whole campaign audience';
  if (activity.segmentId !== null) {
    const found = (await engine.call('segment/list', { databaseId: activity.databaseId })).find((s) => s.id === activity.segmentId);
    segment = `the segment "${found?.name ?? activity.segmentId}"`;
  }
  const lines = [
    `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" (id ${activity.id}): ${activity.status}, in ${where}`,
    `  reaches     ${segment}${activity.ignoreLcg ? ', Test and LCG (ignores the LCG)' : ', Test only'}, ${activity.ignoreSubscription ? 'every subscription status (ignores subscription)' : 'subscribed profiles only'}`,
  ];
  lines.push(...clockLines(activity));
  if (activity.notRunning !== null) lines.push(`  now         ${activity.notRunning}`);
  if (activity.audienceExpansion) lines.push('  expansion   on: profiles of its segment outside the campaign are added to it first');
  if (activity.variants.length > 0) lines.push(`  variants    ${activity.variants.map((v) => `${v.name} ${v.percent} %`).join(', ')}`);
  lines.push(activity.runs.length === 0 ? '  runs        none' : `  runs        ${activity.runs.map((r) => runText(r, activity.ignoreLcg)).join('\n              ')}`);
  return lines.join('\n');
}

function activityTable(activities: readonly Activity[], campaigns: ReadonlyMap<number, Campaign>): string {
  if (activities.length === 0) return 'No activities.';
  return table(
    ['Id', 'Name', 'Type', 'Status', 'Campaign', 'Timing', 'Next run', 'Runs', 'LCG'],
    activities.map((a) => [
      String(a.id),
      a.name,
      ACTIVITY_TYPE_LABELS[a.type],
      // An activity of a campaign that is not active says that it does not run, and why.
      a.notRunning === null || a.campaignId === null
        ? a.status
        : `${a.status}, not running: campaign ${CAMPAIGN_STATUS_LABELS[campaigns.get(a.campaignId)?.status ?? 'inactive'].toLowerCase()}`,
      a.campaignId === null ? '(external)' : (campaigns.get(a.campaignId)?.name ?? String(a.campaignId)),
      a.timing === null ? 'not launched' : timingShort(a.timing),
      a.nextRun === null ? '-' : a.nextRun.replace('T', ' '),
      String(a.runs.length),
      a.ignoreLcg ? 'ignored' : 'respected',
    ]),
    ['right'],
  );
}

async function campaignOption(context: ActionContext): Promise<Campaign | undefined> {
  const name = stringOption(context.values, 'campaign');
  return name === undefined ? undefined : resolveCampaign(context.engine, name);
}

async function activityOf(context: ActionContext): Promise<Activity> {
  return resolveActivity(context.engine, context.args[0]!, await campaignOption(context));
}

/** An action on one ACTIVITY (a name or an id; --campaign narrows the search). */
function onActivity(run: (context: ActionContext, activity: Activity) => Promise<CommandOutput>, options: readonly string[] = [], args = 'ACTIVITY'): Action {
  return {
    args,
    min: 1,
    max: 1,
    options: ['campaign', ...options],
    async run(context) {
      return run(context, await activityOf(context));
    },
  };
}

/** The segment option: a segment of the activity's database, or "none". */
async function segmentOption(engine: CliEngine, values: Values, databaseId: number): Promise<number | null | undefined> {
  const name = stringOption(values, 'segment');
  if (name === undefined) return undefined;
  if (/^none$/i.test(name.trim())) return null;
  return (await resolveSegment(engine, name, databaseId)).id;
}

function switches(values: Values, on: string, off: string): boolean | undefined {
  if (flag(values, on) && flag(values, off)) throw new UsageError(`--${on} and --${off} cannot both be given`);
  return flag(values, on) ? true : flag(values, off) ? false : undefined;
}

export const activityCommand = actionCommand({
  name: 'activity',
  summary: 'Create, attach, move, launch, run activities of campaigns and list their recipients',
  usage: 'activity list|show|create|update|move|attach|delete|launch|stop|run|recipients FILE.cplan [ACTIVITY] [options]',
  help: `Actions (ACTIVITY is a name, without case, or an id; --campaign C narrows the search):
  list FILE [--campaign C | --database DB]  a campaign's activities, a database's external
                                          list, or (neither) every activity
  show FILE ACTIVITY                      its settings, timing, next run and runs
  create FILE NAME --type TYPE (--campaign C | --database DB) [--segment SEG]
         [--ignore-lcg [--ignore-subscription]] [--expansion] [--variant NAME=PCT]...
                                          inside a campaign, or in the external list
  update FILE ACTIVITY [--name N] [--segment SEG|none] [--ignore-lcg|--respect-lcg]
         [--ignore-subscription|--respect-subscription]
         [--expansion|--no-expansion] [--variant NAME=PCT]...
  move FILE ACTIVITY --to CAMPAIGN|external   move to another campaign, or out
  attach FILE ACTIVITY --to CAMPAIGN      attach from the external list (refused for an
                                          activity another campaign uses)
  delete FILE ACTIVITY                    one that has never run
  launch FILE ACTIVITY TIMING [--from TIME]
                                          launch it on the project clock, with the timing
                                          its type takes (below); it runs as the clock
                                          moves (cplan clock advance), while its campaign
                                          is active; --from TIME starts it later
  stop FILE ACTIVITY                      it runs no more (a scenario lets its profiles go)
  run FILE ACTIVITY [--yes]               at the project clock's time: records who receives it
                                          and who is left out, and why; --yes when its audience
                                          expansion grows other active campaigns too
  recipients FILE ACTIVITY [--run ID] [--offset N] [--limit N] [--out FILE.csv [--force]]
                                          a page of a run's recipients (the last run by
                                          default), or all of them to CSV

Types: ${ACTIVITY_TYPES.join(', ')}.
TIMING, by type (TIME is 2026-04-10T10:00 or now, the project clock):
  broadcast, ab_test   --at TIME                  once, at TIME
  regular_mailing      --schedule WHEN            'daily 09:00', 'weekly mon,thu 10:00',
                                                  'monthly 1 08:00' or 'every 6 hours'
  triggered_mailing    --trigger TYPE [--delay D] on each event of TYPE, to that profile
                                                  (if a recipient then), D later (30m, 2h, 1d)
  scenario             --trigger TYPE --days N    takes profiles in on each event of TYPE
                                                  and holds them N days (or until they
                                                  leave the campaign)
  placement            (nothing)                  shown to the Test group while active

Recipients are the profiles of the activity's segment (without one: the whole campaign
audience) that are in the campaign, in Test only, or in both groups with --ignore-lcg
(transactional messages); subscribed ones only (never unsubscribed, bounced or
unconfirmed), unless a transactional activity also has --ignore-subscription.
--expansion (campaigns on a static segment) first adds the segment's profiles outside the
campaign to the campaign's segment, split as new profiles: every other active campaign on
that segment takes them too. An A/B test shares
its recipients among its variants (A=50 B=50 by default) by md5 order of the IDs.
A broadcast runs once; the other types may run again.

Examples:
  cplan activity create spring.cplan "April mailing" --type broadcast --campaign "Spring sale"
  cplan activity create spring.cplan "Subject test" --type ab_test --campaign "Spring sale" \\
    --segment "Moscow VIP" --variant A=50 --variant B=30 --variant C=20
  cplan activity launch spring.cplan "April mailing" --at 2026-04-10T10:00
  cplan activity launch spring.cplan Digest --schedule 'weekly mon 10:00'
  cplan activity launch spring.cplan "Thank you" --trigger purchase --delay 2h
  cplan activity launch spring.cplan Onboarding --trigger signup --days 14
  cplan activity stop spring.cplan Digest
  cplan activity run spring.cplan "April mailing" --json
  cplan activity recipients spring.cplan "April mailing" --out recipients.csv`,
  options: {
    campaign: { type: 'string' },
    database: { type: 'string' },
    type: { type: 'string' },
    segment: { type: 'string' },
    name: { type: 'string' },
    'ignore-lcg': { type: 'boolean' },
    'respect-lcg': { type: 'boolean' },
    'ignore-subscription': { type: 'boolean' },
    'respect-subscription': { type: 'boolean' },
    yes: { type: 'boolean' },
    expansion: { type: 'boolean' },
    'no-expansion': { type: 'boolean' },
    variant: { type: 'string', multiple: true },
    to: { type: 'string' },
    run: { type: 'string' },
    offset: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    ...Object.fromEntries(TIMING_OPTIONS.map((o) => [o, { type: 'string' } as const])),
  },
  actions: {
    list: {
      args: '',
      min: 0,
      max: 0,
      options: ['campaign', 'database'],
      async run(context) {
        const { engine, values } = context;
        const campaign = await campaignOption(context);
        const databaseName = stringOption(values, 'database');
        if (campaign && databaseName !== undefined) throw new UsageError('give --campaign or --database, not both');
        const campaigns = await engine.call('campaign/list', { includeDeleted: true });
        const byId = new Map(campaigns.map((c) => [c.id, c]));
        let activities: Activity[];
        if (campaign) activities = await engine.call('activity/list', { campaignId: campaign.id });
        else if (databaseName !== undefined) {
          const database = await resolveDatabase(engine, databaseName);
          activities = await engine.call('activity/list', { databaseId: database.id, external: true });
        } else activities = await allActivities(engine);
        return { data: activities, text: activityTable(activities, byId) };
      },
    },
    show: onActivity(async ({ engine }, activity) => ({ data: activity, text: await describe(engine, activity) })),
    ...launchActions(onActivity, describe),
    create: {
      args: 'NAME --type TYPE (--campaign C | --database DB)',
      min: 1,
      max: 1,
      options: ['campaign', 'database', 'type', 'segment', 'ignore-lcg', 'ignore-subscription', 'expansion', 'variant'],
      async run(context) {
        const { engine, values } = context;
        const type = parseType(requiredOption(values, 'type', 'TYPE'));
        const campaign = await campaignOption(context);
        const databaseName = stringOption(values, 'database');
        const database = databaseName === undefined ? undefined : await resolveDatabase(engine, databaseName);
        if (!campaign && !database) throw new UsageError('give --campaign C (inside a campaign) or --database DB (the external list)');
        const databaseId = database?.id ?? campaign!.databaseId;
        const segmentId = await segmentOption(engine, values, databaseId);
        const variants = parseVariants(values);
        const activity = await engine.call('activity/create', {
          databaseId,
          ...(campaign ? { campaignId: campaign.id } : {}),
          type,
          name: context.args[0]!,
          ...(segmentId === undefined ? {} : { segmentId }),
          ...(flag(values, 'ignore-lcg') ? { ignoreLcg: true } : {}),
          ...(flag(values, 'ignore-subscription') ? { ignoreSubscription: true } : {}),
          ...(flag(values, 'expansion') ? { audienceExpansion: true } : {}),
          ...(variants === undefined ? {} : { variants }),
        });
        await context.save();
        return { data: activity, text: `Created the activity.\n\n${await describe(engine, activity)}` };
      },
    },
    update: {
      args: 'ACTIVITY',
      min: 1,
      max: 1,
      options: ['campaign', 'name', 'segment', 'ignore-lcg', 'respect-lcg', 'ignore-subscription', 'respect-subscription', 'expansion', 'no-expansion', 'variant'],
      async run(context) {
        const { engine, values } = context;
        const activity = await activityOf(context);
        const name = stringOption(values, 'name');
        const segmentId = await segmentOption(engine, values, activity.databaseId);
        const ignoreLcg = switches(values, 'ignore-lcg', 'respect-lcg');
        const ignoreSubscription = switches(values, 'ignore-subscription', 'respect-subscription');
        const audienceExpansion = switches(values, 'expansion', 'no-expansion');
        const variants = parseVariants(values);
        if ([name, segmentId, ignoreLcg, ignoreSubscription, audienceExpansion, variants].every((v) => v === undefined)) {
          throw new UsageError(
            'nothing to change: give --name, --segment, --ignore-lcg/--respect-lcg, --ignore-subscription/--respect-subscription, --expansion/--no-expansion or --variant',
          );
        }
        const updated = await engine.call('activity/update', {
          activityId: activity.id,
          ...(name === undefined ? {} : { name }),
          ...(segmentId === undefined ? {} : { segmentId }),
          ...(ignoreLcg === undefined ? {} : { ignoreLcg }),
          ...(ignoreSubscription === undefined ? {} : { ignoreSubscription }),
          ...(audienceExpansion === undefined ? {} : { audienceExpansion }),
          ...(variants === undefined ? {} : { variants }),
        });
        await context.save();
        return { data: updated, text: `Updated the activity.\n\n${await describe(engine, updated)}` };
      },
    },
    move: {
      args: 'ACTIVITY --to CAMPAIGN|external',
      min: 1,
      max: 1,
      options: ['campaign', 'to'],
      async run(context) {
        const { engine, values } = context;
        const activity = await activityOf(context);
        const to = requiredOption(values, 'to', 'CAMPAIGN (or external)');
        const target = /^external$/i.test(to) ? null : await resolveCampaign(engine, to);
        const moved = await engine.call('activity/move', { activityId: activity.id, campaignId: target?.id ?? null });
        await context.save();
        const where = target ? `the campaign "${target.name}"` : 'the external list';
        return { data: moved, text: `Moved "${activity.name}" to ${where}.` };
      },
    },
    attach: {
      args: 'ACTIVITY --to CAMPAIGN',
      min: 1,
      max: 1,
      options: ['to'],
      async run(context) {
        const { engine, values } = context;
        const activity = await resolveActivity(engine, context.args[0]!);
        const target = await resolveCampaign(engine, requiredOption(values, 'to', 'CAMPAIGN'));
        const attached = await engine.call('activity/move', { activityId: activity.id, campaignId: target.id, attach: true });
        await context.save();
        return { data: attached, text: `Attached "${activity.name}" to the campaign "${target.name}".` };
      },
    },
    delete: onActivity(async (context, activity) => {
      const deleted = await context.engine.call('activity/delete', { activityId: activity.id });
      await context.save();
      return { data: deleted, text: `Deleted the activity "${activity.name}".` };
    }),
    run: onActivity(
      async (context, activity) => {
        const { engine } = context;
        // Where the app asks first (the expansion grows other campaigns), the command line wants --yes.
        const preview = await engine.call('activity/previewRun', { activityId: activity.id });
        if (preview.warning !== null && (preview.expansion?.sharedWith.length ?? 0) > 0 && !flag(context.values, 'yes')) {
          throw new EngineError('REFUSED', `${preview.warning} Add --yes to run it anyway.`, { activityId: activity.id, needsConfirmation: true });
        }
        const run = await withTerminalProgress(engine, () => engine.call('activity/run', { activityId: activity.id }));
        await context.save();
        return { data: run, text: `Ran ${ACTIVITY_TYPE_LABELS[activity.type].toLowerCase()} "${activity.name}": ${runText(run, activity.ignoreLcg)}.` };
      },
      ['yes'],
    ),
    recipients: {
      args: 'ACTIVITY',
      min: 1,
      max: 1,
      options: ['campaign', 'run', 'offset', 'limit', 'out', 'force'],
      async run(context) {
        const { engine, values } = context;
        const activity = await activityOf(context);
        const wanted = stringOption(values, 'run');
        const run = wanted === undefined ? activity.runs[activity.runs.length - 1] : activity.runs.find((r) => String(r.id) === wanted.trim());
        if (!run) {
          throw new EngineError(
            wanted === undefined ? 'REFUSED' : 'NOT_FOUND',
            wanted === undefined
              ? `"${activity.name}" has not run yet: it has no recipients.`
              : `"${activity.name}" has no run ${wanted}; its runs are ${activity.runs.map((r) => r.id).join(', ') || 'none'}.`,
          );
        }
        const out = stringOption(values, 'out');
        if (out !== undefined) {
          if (values.offset !== undefined || values.limit !== undefined) throw new UsageError('--out writes every recipient; --offset and --limit page the screen');
          const path = resolve(out);
          const result = await withTerminalProgress(engine, () =>
            engine.call('export/profiles', { databaseId: activity.databaseId, path, overwrite: flag(values, 'force'), scope: { kind: 'run', runId: run.id } }),
          ).catch(suggestForce(path));
          return { data: result, text: `Wrote ${plural(result.rows, 'recipient')} of run ${run.id} of "${activity.name}" to ${path} (${formatBytes(result.bytes)}).` };
        }
        if (flag(values, 'force')) throw new UsageError('--force goes with --out');
        const page = await engine.call('activity/recipients', { runId: run.id, ...paging(values) });
        const extra: { header: string; values: string[] }[] = [{ header: 'Group', values: page.groups.map((g) => (g === 'control' ? 'LCG' : 'test')) }];
        if (page.variants.some((v) => v !== null)) extra.push({ header: 'Variant', values: page.variants.map((v) => v ?? '') });
        return { data: page, text: `Run ${run.id} of "${activity.name}" (${formatClock(run.clock)})\n\n${await profilePageText(engine, page, extra)}` };
      },
    },
  },
});
