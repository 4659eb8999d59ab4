import type { CampaignDetail, Field, LcgSettings } from '../../../shared/contract/index';
import {
  CampaignSqlArgs,
  DEFAULT_ASSIGNMENT_TABLE,
  DEFAULT_AUDIENCE_TABLE,
  DEFAULT_ID_COLUMN,
  type AssignmentCheck,
  type CampaignRuleCheck,
  type SqlDialect,
  type SqlKind,
} from '../../../shared/contract/warehouse';
import { formatCount } from '../../../shared/format';
import { countOf, listText } from '../../lib/text';
import type { AppState } from '../types';
import type { FingerprintView } from './slice';

export const selectFingerprint =
  (campaignId: number) =>
  (state: AppState): FingerprintView | null =>
    state.fingerprints[campaignId] ?? null;

export const selectAssignmentCheck = (state: AppState) => state.assignmentCheck;
export const selectProjectCheck = (state: AppState) => state.projectCheck;

/**
 * What changes whenever the campaign's split is rebuilt (a new version, members joining or
 * leaving, completion emptying it): the fingerprint is read again when this changes, not on
 * every reload of the campaign (a rename, an activity).
 */
export function splitSignature(detail: CampaignDetail): string {
  const { groups, status } = detail.campaign;
  const lastVersion = detail.versions.reduce((max, v) => Math.max(max, v.id), 0);
  return `${detail.versions.length}:${lastVersion}:${groups.test}:${groups.control}:${status}`;
}

/** The campaign's stratification fields, in the order of its rules: one column name each in the query. */
export function stratificationFields(lcg: LcgSettings, fields: readonly Field[]): readonly Field[] {
  return lcg.strata.map((rule) => fields.find((f) => f.id === rule.fieldId)).filter((f): f is Field => f !== undefined);
}

/** The Export as SQL dialog's choices, as typed. */
export interface SqlForm {
  readonly dialect: SqlDialect;
  readonly kind: SqlKind;
  readonly table: string;
  readonly idColumn: string;
  /** Field name -> the column that holds it in the warehouse. */
  readonly columns: Readonly<Record<string, string>>;
  readonly assignmentTable: string;
}

/** The defaults the query's comments and the README name: each field in a column of its own name. */
export function defaultSqlForm(fieldNames: readonly string[]): SqlForm {
  return {
    dialect: 'postgresql',
    kind: 'split',
    table: DEFAULT_AUDIENCE_TABLE,
    idColumn: DEFAULT_ID_COLUMN,
    columns: Object.fromEntries(fieldNames.map((name) => [name, name])),
    assignmentTable: DEFAULT_ASSIGNMENT_TABLE,
  };
}

/** A problem of one input of the form: "table", "idColumn", "assignmentTable" or "column:<field name>". */
export type SqlFormProblems = Readonly<Record<string, string>>;

/**
 * The form as the engine's arguments, checked by the contract's own schema (the rules for
 * names live there), with each problem at the input it belongs to.
 */
export function sqlArgsOf(campaignId: number, form: SqlForm): { args: CampaignSqlArgs | null; problems: SqlFormProblems } {
  const args: CampaignSqlArgs = {
    campaignId,
    dialect: form.dialect,
    kind: form.kind,
    table: form.table,
    idColumn: form.idColumn,
    columns: { ...form.columns },
    ...(form.kind === 'growth' ? { assignmentTable: form.assignmentTable } : {}),
  };
  const parsed = CampaignSqlArgs.safeParse(args);
  if (parsed.success) return { args, problems: {} };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const [head, field] = issue.path;
    const key = head === 'columns' ? `column:${String(field)}` : String(head);
    problems[key] ??= issue.message;
  }
  return { args: null, problems };
}

/** A group as the app names it: the file's "control" is the LCG. */
export const GROUP_LABELS: Readonly<Record<'test' | 'control', string>> = { test: 'Test', control: 'LCG' };

/** What one differing ID is, in words: "LCG in the app, Test in the file". */
export function differenceText(d: AssignmentCheck['differences']['first'][number]): string {
  if (d.app === null) return `only in the file (${d.file === null ? 'no group' : GROUP_LABELS[d.file]})`;
  if (d.file === null) return `only in the app (${GROUP_LABELS[d.app]})`;
  if (d.app !== d.file) return `${GROUP_LABELS[d.app]} in the app, ${GROUP_LABELS[d.file]} in the file`;
  return `stratum ${quoted(d.appStratum)} in the app, ${quoted(d.fileStratum)} in the file`;
}

const quoted = (stratum: string | null) => (stratum === null ? 'none' : stratum === '' ? '“” (no value)' : `“${stratum}”`);

/** The campaign has strata (not just the one empty key of a split without them). */
const stratified = (check: AssignmentCheck) => check.strata.some((s) => s.key !== '');

/** Whether the file's strata were compared too: a file without a stratum column is compared by group only. */
export function fileHasStrata(check: AssignmentCheck): boolean {
  return check.stratumColumn === true && stratified(check);
}

/** How the file's fingerprint compares with the app's, in words (the fingerprint hashes the strata, which a file may not have). */
export function fingerprintComparison(check: AssignmentCheck): string {
  const { app, file } = check.fingerprints;
  if (file === null || app === null) return '';
  if (app === file) return 'the same';
  return check.stratumColumn === false && stratified(check) ? 'different: the file has no stratum column, and the fingerprint includes the strata' : 'different';
}

/** One sentence: does the warehouse's output match the app's split? */
export function assignmentVerdict(check: AssignmentCheck): string {
  if (check.matches) {
    return `The file matches the app’s split: all ${formatCount(check.app.total)} profiles are in the same group${fileHasStrata(check) ? ' and stratum' : ''}.`;
  }
  const d = check.differences;
  const parts = [
    d.otherGroup > 0 ? `${formatCount(d.otherGroup)} in another group` : null,
    d.otherStratum > 0 ? `${formatCount(d.otherStratum)} in another stratum` : null,
    d.onlyInApp > 0 ? `${formatCount(d.onlyInApp)} missing from the file` : null,
    d.onlyInFile > 0 ? `${formatCount(d.onlyInFile)} not in the app’s split` : null,
  ].filter((p): p is string => p !== null);
  return `The file does not match the app’s split: ${countOf(d.count, 'profile differs', 'profiles differ')}${parts.length > 0 ? ` (${listText(parts)})` : ''}.`;
}

type StratumCounts = AssignmentCheck['strata'][number];

/** The file's counts of a stratum (or of all profiles) are not the app's. */
export const countsDiffer = (s: Pick<StratumCounts, 'app' | 'file'>) => s.app.test !== s.file.test || s.app.control !== s.file.control;

/** The strata of a comparison with those whose counts differ first, then the largest first: what to look at is on top. */
export function strataByDifference(strata: readonly StratumCounts[]): StratumCounts[] {
  return [...strata].sort((a, b) => Number(countsDiffer(b)) - Number(countsDiffer(a)) || b.app.total - a.app.total || compareKeys(a.key, b.key));
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A campaign's line in "Check all splits": what was found, in words. */
export function ruleCheckSummary(check: CampaignRuleCheck): string {
  if (check.ok) return `${countOf(check.members, 'member')}: every stored group is what the rule gives.`;
  if (check.wrong === 0) return `${countOf(check.members, 'member')}: the groups match the rule, but the record does not (see below).`;
  return `${countOf(check.wrong, 'member is', 'members are')} not in the group the rule gives: ${formatCount(check.storedControlShouldBeTest)} stored in the LCG should be in Test, ${formatCount(check.storedTestShouldBeControl)} stored in Test should be in the LCG.`;
}
