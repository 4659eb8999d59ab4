import type {
  Campaign,
  CampaignDetail,
  LcgChangePreview,
  StratificationWarning,
  StratumRow,
} from '../../../shared/contract/campaigns';
import { CAMPAIGN_EVENT_KINDS, LEGACY_EVENT_KINDS } from '../../../shared/contract/campaigns';
import type { Field } from '../../../shared/contract/databases';
import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { isClockTime } from '../../../shared/domain/clock';
import { formatClock, formatCount } from '../../../shared/format';
import type { CliEngine } from '../cli-engine';
import { UsageError, type CommandOutput } from '../command';
import { table } from '../text-table';
import {
  actionCommand,
  databaseFields,
  describeLcg,
  flag,
  lcgFromOptions,
  paging,
  plural,
  profileIdArgs,
  requiredOption,
  resolveCampaign,
  resolveDatabase,
  resolveSegment,
  stringOption,
  type ActionContext,
  type Values,
} from './plan-args';
import { attributeAction, attributeValues } from './campaign-attributes';
import { campaignInBin, confirmWithYes, exportCampaign, groupOption, workText } from './campaign-audience';
import { checkExportOptions } from './export-options';
import { commaList, withTerminalProgress } from './project-args';
import { profilePageText } from './segment';

const LCG_OPTIONS = ['percent', 'limit', 'stratum', 'no-strata'];

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** The strata table: size, exact quota, LCG, share, deviation. */
export function strataTable(strata: readonly StratumRow[]): string {
  return table(
    ['Stratum', 'Profiles', 'Quota', 'LCG', 'Share', 'Deviation'],
    strata.map((s) => [s.label, formatCount(s.size), s.quota.toFixed(2), formatCount(s.control), pct(s.share), signed(s.deviation)]),
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

export const warningText = (warning: StratificationWarning | null) => (warning ? `Warning: ${warning.message}` : null);

/** `fingerprint`: the split's (warehouse/fingerprint; null before the first build), shown when given. */
function summary(campaign: Campaign, fields: readonly Field[], fingerprint?: string | null): string {
  const lines = [
    `"${campaign.name}" (id ${campaign.id}): ${CAMPAIGN_STATUS_LABELS[campaign.status]}${campaign.deleted ? ', in the recycle bin' : ''}`,
    ...(campaign.workElsewhere ? [`  now         ${workText(campaign.workElsewhere)}`] : []),
    `  database    ${campaign.databaseName}, segment "${campaign.segmentName}"`,
    `  LCG         ${describeLcg(campaign.lcg, fields)}`,
    `  groups      ${formatCount(campaign.groups.test)} test, ${formatCount(campaign.groups.control)} LCG (${formatCount(campaign.groups.total)} in all)`,
    `  activities  ${campaign.activityCount}`,
    `  seed        ${campaign.seed}`,
  ];
  if (fingerprint !== undefined) lines.push(`  fingerprint ${fingerprint ?? 'none yet (the split is made at activation)'}`);
  if (campaign.gcgExempt) lines.push('  GCG         exempt (the audience keeps global control group members)');
  if (campaign.activateAt) lines.push(`  starts      ${formatClock(campaign.activateAt)}`);
  if (campaign.activatedClock) lines.push(`  activated   ${formatClock(campaign.activatedClock)}`);
  if (campaign.completedClock) lines.push(`  completed   ${formatClock(campaign.completedClock)}`);
  return lines.join('\n');
}

async function detailText(engine: CliEngine, detail: CampaignDetail, fingerprint?: string | null): Promise<string> {
  const fields = await databaseFields(engine, detail.campaign.databaseId);
  const parts = [summary(detail.campaign, fields, fingerprint)];
  if (detail.strata.length > 0) parts.push(strataTable(detail.strata));
  const warning = warningText(detail.warning);
  if (warning) parts.push(warning);
  return parts.join('\n\n');
}

async function campaignOut(engine: CliEngine, campaign: Campaign, first: string): Promise<CommandOutput> {
  const fields = await databaseFields(engine, campaign.databaseId);
  return { data: campaign, text: `${first}\n\n${summary(campaign, fields)}` };
}

function previewText(preview: LcgChangePreview): string {
  const parts = [preview.consequences.length === 0 ? 'Nothing changes.' : preview.consequences.map((c) => `- ${c}`).join('\n')];
  if (preview.homogeneityWarning) parts.push('Changing values inside the stratification fields may break the homogeneity of the LCG.');
  if (preview.strata.length > 0) parts.push(strataTable(preview.strata));
  const warning = warningText(preview.warning);
  if (warning) parts.push(warning);
  return parts.join('\n\n');
}

/** An action on one campaign; `check` looks at the options first, so a usage error comes before any lookup. */
const one = (
  run: (context: ActionContext, campaign: Campaign) => Promise<CommandOutput>,
  options: readonly string[] = [],
  check?: (values: Values) => void,
) => ({
  args: 'CAMPAIGN',
  min: 1,
  max: 1,
  options,
  async run(context: ActionContext) {
    check?.(context.values);
    return run(context, await resolveCampaign(context.engine, context.args[0]!));
  },
});

function checkAt(values: Values): void {
  const at = stringOption(values, 'at');
  if (at !== undefined && !isClockTime(at)) throw new UsageError(`--at must be a date-time like 2026-04-10T10:00, not "${at}"`);
}

function kindsOption(values: Values): (typeof CAMPAIGN_EVENT_KINDS)[number][] | undefined {
  const kindText = stringOption(values, 'kind');
  if (kindText === undefined) return undefined;
  // Names of earlier versions (profile_left) still work: they mean today's kind.
  const kinds = commaList(kindText).map((k) => LEGACY_EVENT_KINDS[k] ?? k);
  const unknown = kinds.find((k) => !(CAMPAIGN_EVENT_KINDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new UsageError(`unknown event kind "${unknown}"; use ${CAMPAIGN_EVENT_KINDS.join(', ')}`);
  return kinds as (typeof CAMPAIGN_EVENT_KINDS)[number][];
}

export const campaignCommand = actionCommand({
  name: 'campaign',
  summary: 'Create, inspect and run campaigns: LCG, activation, members, events, attributes',
  usage: 'campaign ACTION FILE.cplan [CAMPAIGN] [options]',
  help: `Actions (CAMPAIGN is a name, without case, or an id):
  list FILE [--database DB] [--deleted]   campaigns with status and group sizes
                                          (--deleted: the recycle bin too)
  show FILE CAMPAIGN                      settings, strata table, warning
  create FILE NAME --database DB --segment SEG [LCG options] [--seed S] [--attribute A=V]...
  update FILE CAMPAIGN [--name NEW] [--attribute A=V]...
  lcg FILE CAMPAIGN [LCG options]         change the LCG (an active campaign is rebuilt as
                                          the guide says); what is not given stays
  preview-lcg FILE CAMPAIGN [LCG options] what that change would do, changing nothing
  activate FILE CAMPAIGN [--at 2026-04-10T10:00] [--yes]  now, or later on the project clock;
                                          --yes when nobody would be in Test (an empty
                                          audience, or an LCG that takes everyone)
  deactivate FILE CAMPAIGN                groups are kept
  complete FILE CAMPAIGN                  for good: everyone leaves ("Campaign exit" each)
  clone FILE CAMPAIGN [--name N] [--segment SEG]  an inactive copy, with its activities
                                          copied as new ones that never ran
  delete FILE CAMPAIGN                    to the recycle bin (completed, or inactive with
                                          nobody allocated)
  restore FILE CAMPAIGN                   back from the recycle bin, as completed (a name
                                          means the campaign in the bin, even if a live one
                                          has it too)
  add-profiles FILE CAMPAIGN ID [ID ...] [--force-test]  static segments only; with
                                          --force-test an LCG member moves to Test
  members FILE CAMPAIGN [--group test|control] [--offset N] [--limit N]
                                          a page of the audience on the screen
  export FILE CAMPAIGN OUT.csv [--group test|control|gcg|all] [--status S,S]
         [--fields A,B] [--limit N] [--force]
                                          the audience to CSV (all by default; gcg: the GCG
                                          members of its segment), with a group column;
                                          once its audience has been built
                                          (members --out OUT.csv takes the same options)
  events FILE CAMPAIGN [--kind K,K] [--offset N] [--limit N]  newest first (--kind campaign_exit)
  attribute FILE list | define NAME [--required] [--choices A|B] | remove NAME
                                          the project's campaign attributes

LCG options:
  --percent P        the LCG share of the audience (fractions allowed: 7.25); none removes it
  --limit N          the largest LCG in profiles (the audience limit); none removes it
  --stratum SPEC     stratify (repeatable, at most 5): FIELD (each value a stratum),
                     FIELD:values:Moscow|Kazan (those values, the rest "Other"),
                     FIELD:groups:Young=18|19;Old=70 (the rest "Other"),
                     FIELD:ranges:18,25,35 (cut points: numbers or dates),
                     FIELD:intervals:Young=01.01.2000..01.01.2005;Adult=01.01.1985..31.12.1999
                     (named closed intervals, the rest "Other"), FIELD:age:20-25,26-35,65+
                     (age in years from a date field, on the project clock's date)
  --no-strata        no stratification

Changes are saved to FILE (atomically). Long actions show their progress on the terminal.

Examples:
  cplan campaign create spring.cplan "Spring sale" --database Customers --segment All \\
    --percent 10 --stratum gender --stratum age:ranges:25,35,50 --seed spring-2026
  cplan campaign activate spring.cplan "Spring sale" --at 2026-04-10T10:00
  cplan campaign export spring.cplan "Spring sale" lcg.csv --group control --status subscribed --fields email`,
  options: {
    database: { type: 'string' },
    segment: { type: 'string' },
    name: { type: 'string' },
    seed: { type: 'string' },
    percent: { type: 'string' },
    limit: { type: 'string' },
    stratum: { type: 'string', multiple: true },
    'no-strata': { type: 'boolean' },
    attribute: { type: 'string', multiple: true },
    deleted: { type: 'boolean' },
    at: { type: 'string' },
    'force-test': { type: 'boolean' },
    yes: { type: 'boolean' },
    group: { type: 'string' },
    status: { type: 'string' },
    fields: { type: 'string' },
    offset: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    kind: { type: 'string' },
    required: { type: 'boolean' },
    choices: { type: 'string' },
  },
  actions: {
    list: {
      args: '',
      min: 0,
      max: 0,
      options: ['database', 'deleted'],
      async run({ engine, values }) {
        const databaseName = stringOption(values, 'database');
        const database = databaseName === undefined ? undefined : await resolveDatabase(engine, databaseName);
        const campaigns = await engine.call('campaign/list', {
          ...(database === undefined ? {} : { databaseId: database.id }),
          ...(flag(values, 'deleted') ? { includeDeleted: true } : {}),
        });
        const text =
          campaigns.length === 0
            ? 'No campaigns.'
            : table(
                ['Id', 'Name', 'Status', 'Database', 'Test', 'LCG', 'Activities'],
                campaigns.map((c) => [
                  String(c.id),
                  c.name,
                  `${CAMPAIGN_STATUS_LABELS[c.status]}${c.deleted ? ' (recycle bin)' : ''}`,
                  c.databaseName,
                  formatCount(c.groups.test),
                  formatCount(c.groups.control),
                  String(c.activityCount),
                ]),
                ['right', 'left', 'left', 'left', 'right', 'right', 'right'],
              );
        return { data: campaigns, text };
      },
    },
    show: one(async ({ engine }, campaign) => {
      const detail = await engine.call('campaign/get', { campaignId: campaign.id });
      const { fingerprint } = await engine.call('warehouse/fingerprint', { campaignId: campaign.id });
      return { data: { ...detail, fingerprint }, text: await detailText(engine, detail, fingerprint) };
    }),
    create: {
      args: 'NAME --database DB --segment SEG',
      min: 1,
      max: 1,
      options: ['database', 'segment', 'seed', 'attribute', ...LCG_OPTIONS],
      async run(context) {
        const { engine, values } = context;
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const segment = await resolveSegment(engine, requiredOption(values, 'segment', 'NAME'), database.id);
        const lcg = await lcgFromOptions(engine, values, database);
        const attributes = await attributeValues(engine, values);
        const seed = stringOption(values, 'seed');
        const campaign = await engine.call('campaign/create', {
          name: context.args[0]!,
          databaseId: database.id,
          segmentId: segment.id,
          lcg,
          ...(seed === undefined ? {} : { seed }),
          ...(attributes === undefined ? {} : { attributes }),
        });
        await context.save();
        return campaignOut(engine, campaign, `Created the campaign "${campaign.name}".`);
      },
    },
    update: one(
      async (context, campaign) => {
        const name = stringOption(context.values, 'name');
        const attributes = await attributeValues(context.engine, context.values);
        if (name === undefined && attributes === undefined) throw new UsageError('give --name NEW or --attribute NAME=VALUE');
        const updated = await context.engine.call('campaign/update', {
          campaignId: campaign.id,
          ...(name === undefined ? {} : { name }),
          ...(attributes === undefined ? {} : { attributes }),
        });
        await context.save();
        return campaignOut(context.engine, updated, `Updated the campaign "${updated.name}".`);
      },
      ['name', 'attribute'],
    ),
    lcg: one(async (context, campaign) => {
      const { engine, values } = context;
      if (!LCG_OPTIONS.some((o) => values[o] !== undefined)) throw new UsageError('give --percent, --limit, --stratum or --no-strata');
      const lcg = await lcgFromOptions(engine, values, { id: campaign.databaseId, name: campaign.databaseName }, campaign.lcg);
      const detail = await withTerminalProgress(engine, () => engine.call('campaign/setLcg', { campaignId: campaign.id, lcg }));
      await context.save();
      return { data: detail, text: `Changed the LCG of "${campaign.name}".\n\n${await detailText(engine, detail)}` };
    }, LCG_OPTIONS),
    'preview-lcg': one(async ({ engine, values }, campaign) => {
      const lcg = await lcgFromOptions(engine, values, { id: campaign.databaseId, name: campaign.databaseName }, campaign.lcg);
      const preview = await engine.call('campaign/previewLcg', { campaignId: campaign.id, lcg });
      return { data: preview, text: previewText(preview) };
    }, LCG_OPTIONS),
    activate: one(
      async (context, campaign) => {
        const at = stringOption(context.values, 'at');
        const detail = await withTerminalProgress(context.engine, () =>
          context.engine.call('campaign/activate', {
            campaignId: campaign.id,
            ...(at === undefined ? {} : { at }),
            ...(flag(context.values, 'yes') ? { confirmed: true } : {}),
          }),
        ).catch(confirmWithYes);
        await context.save();
        const first =
          detail.campaign.status === 'waiting' && detail.campaign.activateAt
            ? `"${campaign.name}" waits until ${formatClock(detail.campaign.activateAt)}.`
            : `Activated "${campaign.name}": ${formatCount(detail.campaign.groups.test)} test, ${formatCount(detail.campaign.groups.control)} LCG.`;
        return { data: detail, text: `${first}\n\n${await detailText(context.engine, detail)}` };
      },
      ['at', 'yes'],
      checkAt,
    ),
    deactivate: one(async (context, campaign) => {
      const updated = await context.engine.call('campaign/deactivate', { campaignId: campaign.id });
      await context.save();
      return campaignOut(context.engine, updated, `Deactivated "${campaign.name}"; its groups are kept.`);
    }),
    complete: one(async (context, campaign) => {
      const updated = await withTerminalProgress(context.engine, () => context.engine.call('campaign/complete', { campaignId: campaign.id }));
      await context.save();
      return campaignOut(context.engine, updated, `Completed "${campaign.name}": it can never run again.`);
    }),
    clone: one(
      async (context, campaign) => {
        const name = stringOption(context.values, 'name');
        const segmentName = stringOption(context.values, 'segment');
        const segment = segmentName === undefined ? undefined : await resolveSegment(context.engine, segmentName, campaign.databaseId);
        const copy = await context.engine.call('campaign/clone', {
          campaignId: campaign.id,
          ...(name === undefined ? {} : { name }),
          ...(segment === undefined ? {} : { segmentId: segment.id }),
        });
        await context.save();
        return campaignOut(context.engine, copy, `Cloned "${campaign.name}" as "${copy.name}" (inactive).`);
      },
      ['name', 'segment'],
    ),
    delete: one(async (context, campaign) => {
      const deleted = await context.engine.call('campaign/delete', { campaignId: campaign.id });
      await context.save();
      return { data: deleted, text: `Moved "${campaign.name}" to the recycle bin ("cplan campaign restore" brings it back, completed).` };
    }),
    restore: {
      args: 'CAMPAIGN',
      min: 1,
      max: 1,
      async run(context) {
        const { campaign, live } = await campaignInBin(context.engine, context.args[0]!);
        const restored = await context.engine.call('campaign/restore', { campaignId: campaign.id });
        await context.save();
        const others = live.length === 0 ? '' : ` The campaign${live.length === 1 ? '' : 's'} of that name not in the bin (id ${live.map((c) => c.id).join(', ')}) ${live.length === 1 ? 'is' : 'are'} unchanged.`;
        return campaignOut(context.engine, restored, `Restored "${campaign.name}" (id ${campaign.id}) from the recycle bin, as completed.${others}`);
      },
    },
    'add-profiles': {
      args: 'CAMPAIGN ID [ID ...]',
      min: 2,
      max: 100_001,
      options: ['force-test'],
      async run(context) {
        const { engine } = context;
        const campaign = await resolveCampaign(engine, context.args[0]!);
        const profileIds = profileIdArgs(context.args.slice(1));
        const result = await withTerminalProgress(engine, () =>
          engine.call('campaign/addProfiles', { campaignId: campaign.id, profileIds, ...(flag(context.values, 'force-test') ? { forceTest: true } : {}) }),
        );
        await context.save();
        const waiting = result.campaign.groups.total === 0 && result.campaign.status !== 'active';
        const lines = [
          waiting
            ? `Added ${plural(result.added, 'profile')} to the segment of "${campaign.name}": they are split when it is activated${flag(context.values, 'force-test') ? ', into Test' : ''}.`
            : `Added ${plural(result.added, 'profile')} to "${campaign.name}": ${formatCount(result.toTest)} to test, ${formatCount(result.toControl)} to the LCG.`,
        ];
        if (result.movedToTest > 0) lines.push(`Moved ${plural(result.movedToTest, 'profile')} from the LCG to Test (forced into Test; a "Moved to Test" event each).`);
        if (result.alreadyIn > 0) lines.push(`${plural(result.alreadyIn, 'profile')} already in the campaign${waiting ? "'s segment" : ''}.`);
        if (result.inGcg > 0) lines.push(`${plural(result.inGcg, 'profile')} in the global control group, so not added (it holds them out of every campaign that is not exempt).`);
        if (result.notFoundCount > 0) lines.push(`${plural(result.notFoundCount, 'ID')} not in the database: ${result.notFound.join(', ')}${result.notFoundCount > result.notFound.length ? ', …' : ''}.`);
        return { data: result, text: lines.join('\n') };
      },
    },
    members: one(
      async (context, campaign) => {
        const { engine, values } = context;
        const out = stringOption(values, 'out');
        if (out !== undefined) return exportCampaign(context, campaign, out);
        const group = groupOption(values, false);
        const page = await engine.call('campaign/members', {
          campaignId: campaign.id,
          ...paging(values),
          ...(group === 'test' || group === 'control' ? { group } : {}),
        });
        const text = await profilePageText(engine, page, [
          { header: 'Group', values: page.groups.map((g) => (g === 'control' ? 'LCG' : 'test')) },
          ...(page.strata.some((s) => s !== '') ? [{ header: 'Stratum', values: page.strata }] : []),
        ]);
        const only = group === 'control' ? ', LCG only' : group === 'test' ? ', test only' : '';
        return { data: page, text: `"${campaign.name}"${only}\n\n${text}` };
      },
      ['group', 'offset', 'limit', 'out', 'force', 'status', 'fields'],
      (values) => {
        if (values.out === undefined) {
          groupOption(values, false);
          paging(values);
          for (const option of ['force', 'status', 'fields']) if (values[option] !== undefined) throw new UsageError(`--${option} goes with --out`);
          return;
        }
        groupOption(values, true);
        if (values.offset !== undefined) throw new UsageError('--out writes the whole group; --offset pages the screen');
        checkExportOptions(values);
      },
    ),
    export: {
      args: 'CAMPAIGN OUT.csv',
      min: 2,
      max: 2,
      options: ['group', 'status', 'fields', 'limit', 'force'],
      async run(context) {
        groupOption(context.values, true);
        checkExportOptions(context.values);
        return exportCampaign(context, await resolveCampaign(context.engine, context.args[0]!), context.args[1]!);
      },
    },
    events: one(
      async ({ engine, values }, campaign) => {
        const kinds = kindsOption(values);
        const page = await engine.call('campaign/events', {
          campaignId: campaign.id,
          ...paging(values),
          ...(kinds === undefined ? {} : { kinds }),
        });
        const text =
          page.events.length === 0
            ? `No events${kinds === undefined ? '' : ' of those kinds'}.`
            : `${table(
                ['Clock', 'Event', 'Profile', 'What happened'],
                page.events.map((e) => [e.clock.replace('T', ' '), e.kind, e.profileId ?? '', e.text]),
              )}\n\n${plural(page.total, 'event')} in all.`;
        return { data: page, text };
      },
      ['kind', 'offset', 'limit'],
      (values) => {
        kindsOption(values);
        paging(values);
      },
    ),
    attribute: attributeAction,
  },
});
