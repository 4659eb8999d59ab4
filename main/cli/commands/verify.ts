/**
 * `cplan verify`: is a split what it should be? With --campaign and --assignment, a
 * warehouse's output (id, group, stratum) against the campaign's stored split
 * (warehouse/verifyAssignment); without options, every campaign's stored groups against
 * what the rule gives from its recorded settings and history (warehouse/verifyProject).
 * Exit code 0 when everything matches, 1 when something differs (the report says what) or
 * the check could not be made, 2 for a wrong command line.
 */
import { basename, resolve } from 'node:path';
import type { AssignmentCheck, ProjectCheck } from '../../../shared/contract/warehouse';
import { formatCount } from '../../../shared/format';
import { UsageError, type Command, type CommandOutput } from '../command';
import { table } from '../text-table';
import { csvOverrides } from './import-mapping';
import { plural, resolveCampaign, stringOption } from './plan-args';
import { CLEAN_OPTION, openProjectFile, projectPath, withTerminalProgress } from './project-args';

/** Exit code of a check that found differences: the command's answer is "no" (cplan.ts: 1, the command failed). */
const DIFFERS = 1;

const groupWord = (group: string | null) => (group === null ? '—' : group === 'control' ? 'LCG' : 'Test');
const stratumText = (key: string | null) => (key === null ? '—' : key === '' ? '""' : key);

export function assignmentText(check: AssignmentCheck, fileName: string): string {
  const { differences: d } = check;
  const head = check.matches
    ? `"${check.campaignName}" and ${fileName} hold the same split: ${plural(check.app.total, 'profile')}, ${formatCount(check.app.test)} in Test, ${formatCount(check.app.control)} in the LCG.`
    : `"${check.campaignName}" and ${fileName} differ: ${plural(d.count, 'ID')} (${[
        `${formatCount(d.onlyInApp)} only in the app`,
        `${formatCount(d.onlyInFile)} only in the file`,
        `${formatCount(d.otherGroup)} in the other group`,
        `${formatCount(d.otherStratum)} in another stratum`,
      ].join(', ')}).`;
  const parts = [
    head,
    table(
      ['', 'App', 'File'],
      [
        ['Test', formatCount(check.app.test), formatCount(check.file.test)],
        ['LCG', formatCount(check.app.control), formatCount(check.file.control)],
        ['Total', formatCount(check.app.total), formatCount(check.file.total)],
      ],
      ['left', 'right', 'right'],
    ),
  ];
  if (check.strata.length > 1 || check.strata.some((s) => s.key !== '')) {
    parts.push(
      table(
        ['Stratum', 'App Test', 'App LCG', 'File Test', 'File LCG'],
        check.strata.map((s) => [s.label, formatCount(s.app.test), formatCount(s.app.control), formatCount(s.file.test), formatCount(s.file.control)]),
        ['left', 'right', 'right', 'right', 'right'],
      ),
    );
  }
  if (d.first.length > 0) {
    parts.push(
      `${d.count > d.first.length ? `The first ${formatCount(d.first.length)} of the ${formatCount(d.count)} differences` : 'The differences'}, by ID:\n${table(
        ['ID', 'App', 'File', 'App stratum', 'File stratum'],
        d.first.map((x) => [x.id, groupWord(x.app), groupWord(x.file), stratumText(x.appStratum), stratumText(x.fileStratum)]),
      )}`,
    );
  }
  const same = check.fingerprints.app === check.fingerprints.file;
  const stratified = check.strata.some((s) => s.key !== '');
  const why =
    !same && stratified && check.stratumColumn === false
      ? ' (the file has no stratum column, so its lines have an empty stratum: the fingerprints differ even for the same groups)'
      : '';
  parts.push(`Fingerprints: app ${check.fingerprints.app ?? '—'}, file ${check.fingerprints.file ?? '—'}${same ? ' (the same)' : why}.`);
  return parts.join('\n\n');
}

export function projectText(check: ProjectCheck, fileName: string): string {
  if (check.campaigns.length === 0) return `${fileName} has no campaigns with a split to check.`;
  const wrong = check.campaigns.filter((c) => !c.ok);
  const head = check.ok
    ? `Every campaign's stored split in ${fileName} is exactly what the rule gives (${plural(check.campaigns.length, 'campaign')}).`
    : `${plural(wrong.length, 'campaign')} of ${formatCount(check.campaigns.length)} in ${fileName} ${wrong.length === 1 ? 'does' : 'do'} not hold the split the rule gives: ${wrong.map((c) => `"${c.name}"`).join(', ')}.`;
  const rows = check.campaigns.map((c) => [
    c.ok ? 'OK' : 'DIFFERS',
    `${c.name} (id ${c.campaignId})`,
    formatCount(c.members),
    formatCount(c.wrong),
    formatCount(c.storedControlShouldBeTest),
    formatCount(c.storedTestShouldBeControl),
    c.fingerprint ?? '—',
  ]);
  const parts = [
    head,
    table(['', 'Campaign', 'Members', 'Wrong', 'LCG→Test', 'Test→LCG', 'Fingerprint'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'left']),
  ];
  for (const c of wrong) {
    const lines = [`"${c.name}":`];
    if (c.wrong > 0) {
      lines.push(
        `  ${plural(c.wrong, 'member')} not in the group the rule gives: ${formatCount(c.storedControlShouldBeTest)} in the LCG that the rule puts in Test, ${formatCount(c.storedTestShouldBeControl)} in Test that it puts in the LCG.`,
      );
      if (c.first.length > 0) lines.push(`  For example: ${c.first.slice(0, 5).map((x) => `${x.id} (stored ${groupWord(x.stored)}, rule ${groupWord(x.expected)})`).join(', ')}.`);
    }
    for (const problem of c.problems) lines.push(`  ${problem}`);
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "Check a split: a warehouse's output against a campaign, or every campaign against the rule",
  usage: 'verify FILE.cplan [--campaign NAME --assignment WAREHOUSE.csv]',
  help: `Two checks:

  cplan verify FILE.cplan --campaign NAME --assignment WAREHOUSE.csv
    compares a warehouse's output (the query of "cplan sql", or any CSV of id, group and
    stratum) with the campaign's stored split: counts per group and per stratum on both
    sides, the IDs that differ (only in the app, only in the file, in the other group, in
    another stratum; the first 100 listed), and both fingerprints. Columns: the ID column
    is the one named profile_id, id, customer_id, ... (else the first); "group" holds test
    or control (lcg is read as control, in any case); "stratum" (optional) the stratum
    key. A file without a header is read as id, group, stratum. The app's own export of
    the campaign ("cplan campaign export") is read too (by group: it has no stratum).

  cplan verify FILE.cplan
    recomputes every campaign's split from its recorded settings and history (each
    build's seed, LCG settings and plan, its joins and leavers, LCG changes, profiles
    forced into Test) and says whether the stored groups are exactly what the rule gives.
    A file whose groups were edited by hand or by another program fails, naming the
    campaigns and how many members are in the wrong group.

Options (with --assignment):
  --encoding ENC        utf-8, utf-16le, utf-16be, windows-1251, windows-1252
  --delimiter D         , ; tab |
  --header, --no-header whether the first row names the columns

Exit code 0 when everything matches; 1 when something differs (the report on stdout says
what; with --json the result has "matches" or "ok" false) or the check could not be made
(a message on stderr); 2 for a wrong command line. Nothing in FILE.cplan changes.

Examples:
  cplan verify spring.cplan --campaign "Spring sale" --assignment warehouse.csv
  cplan verify spring.cplan --json`,
  options: {
    ...CLEAN_OPTION,
    campaign: { type: 'string' },
    assignment: { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }): Promise<CommandOutput> {
    const file = projectPath(positionals[0]);
    const campaignName = stringOption(values, 'campaign');
    const assignment = stringOption(values, 'assignment');
    const options = csvOverrides(values);
    if ((campaignName === undefined) !== (assignment === undefined)) {
      throw new UsageError('--campaign NAME and --assignment FILE.csv go together (or give neither, to check every campaign against the rule)');
    }
    if (assignment === undefined && Object.keys(options).length > 0) throw new UsageError('--encoding, --delimiter and --header go with --assignment');
    await openProjectFile(engine, file, values);
    if (campaignName !== undefined && assignment !== undefined) {
      const campaign = await resolveCampaign(engine, campaignName);
      const path = resolve(assignment);
      const check = await withTerminalProgress(engine, () =>
        engine.call('warehouse/verifyAssignment', { campaignId: campaign.id, path, ...(Object.keys(options).length > 0 ? { options } : {}) }),
      );
      return { data: check, text: assignmentText(check, basename(path)), exitCode: check.matches ? 0 : DIFFERS };
    }
    const check = await withTerminalProgress(engine, () => engine.call('warehouse/verifyProject', {}));
    return { data: check, text: projectText(check, basename(file)), exitCode: check.ok ? 0 : DIFFERS };
  },
};
