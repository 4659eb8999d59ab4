/**
 * The LCG editor's draft: percent and limit as typed, and the stratification rules in an
 * editable form. Pure functions, so the rules are tested without an engine. Every check and
 * every stratum label is the shared scheme's (shared/split/percent.ts, stratum-scheme.ts,
 * stratum-rules.ts), the engine's own; the engine checks again, and its word is final.
 */
import type { Field, LcgSettings, StratumRule } from '../../../shared/contract/index';
import { controlTotal } from '../../../shared/split/control-total';
import { parsePercent, percentProblem } from '../../../shared/split/percent';
import { ageIntervalsText, checkRule, parseAgeIntervals, ruleText } from '../../../shared/split/stratum-rules';
import { kindsFor, MAX_STRATA_FIELDS, staticParts, type StratumKind, type StratumSpec } from '../../../shared/split/stratum-scheme';

export interface GroupDraft {
  readonly label: string;
  /** One value per line. */
  readonly valuesText: string;
}

export interface IntervalDraft {
  readonly label: string;
  readonly fromText: string;
  readonly toText: string;
}

export interface StratumDraft {
  readonly fieldId: number;
  readonly kind: StratumKind;
  readonly groups: readonly GroupDraft[];
  /** Ascending bounds, separated by commas or lines. */
  readonly boundsText: string;
  /** The chosen values (subset), one per line. */
  readonly chosenText: string;
  readonly intervals: readonly IntervalDraft[];
  /** Age intervals: "20-25, 26-35, 65+". */
  readonly agesText: string;
}

export interface LcgDraft {
  readonly percentText: string;
  readonly limitText: string;
  readonly strata: readonly StratumDraft[];
}

export interface LcgDraftProblems {
  readonly percent: string | null;
  readonly limit: string | null;
  /** By the stratum's place in the draft. */
  readonly strata: Readonly<Record<number, string>>;
  readonly general: string | null;
}

export const EMPTY_DRAFT: LcgDraft = { percentText: '', limitText: '', strata: [] };

const EMPTY_GROUP: GroupDraft = { label: '', valuesText: '' };
const EMPTY_INTERVAL: IntervalDraft = { label: '', fromText: '', toText: '' };

export function newStratum(field: Field): StratumDraft {
  return {
    fieldId: field.id,
    kind: kindsFor(field.type)[0] ?? 'values',
    groups: [EMPTY_GROUP],
    boundsText: '',
    chosenText: '',
    intervals: [EMPTY_INTERVAL],
    agesText: '',
  };
}

export const splitLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

/** Bounds typed in one line: separated by commas, semicolons, spaces or lines. */
export const boundsOf = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

export function draftFromLcg(lcg: LcgSettings): LcgDraft {
  return {
    percentText: lcg.percent === null ? '' : String(lcg.percent),
    limitText: lcg.limit === null ? '' : String(lcg.limit),
    strata: lcg.strata.map((rule) => ({
      fieldId: rule.fieldId,
      kind: rule.kind,
      groups: rule.kind === 'groups' ? rule.groups.map((g) => ({ label: g.label, valuesText: g.values.join('\n') })) : [EMPTY_GROUP],
      boundsText: rule.kind === 'ranges' ? rule.bounds.map(String).join(', ') : '',
      chosenText: rule.kind === 'subset' ? rule.values.join('\n') : '',
      intervals: rule.kind === 'intervals' ? rule.intervals.map((i) => ({ label: i.label, fromText: String(i.from), toText: String(i.to) })) : [EMPTY_INTERVAL],
      agesText: rule.kind === 'age' ? ageIntervalsText(rule.intervals) : '',
    })),
  };
}

const limitText = (text: string) => text.trim().replace(/[,\s]/g, '');

function limitProblem(text: string): string | null {
  const trimmed = limitText(text);
  if (trimmed === '') return null;
  if (/^-\d/.test(trimmed)) return `An audience limit cannot be negative (${text.trim()}).`;
  if (!/^\d+$/.test(trimmed)) return `An audience limit is a whole number of profiles, such as 5000, not "${text.trim()}".`;
  if (!Number.isSafeInteger(Number(trimmed))) return 'That audience limit is too large.';
  return null;
}

/** The rule a stratum draft stands for, before the scheme checks it; or what is missing. */
function specOf(draft: StratumDraft): { spec: StratumSpec } | { problem: string } {
  switch (draft.kind) {
    case 'values':
      return { spec: { kind: 'values' } };
    case 'subset':
      return { spec: { kind: 'subset', values: splitLines(draft.chosenText) } };
    case 'ranges':
      return { spec: { kind: 'ranges', bounds: boundsOf(draft.boundsText) } };
    case 'groups':
      return { spec: { kind: 'groups', groups: draft.groups.map((g) => ({ label: g.label, values: splitLines(g.valuesText) })).filter((g) => g.label.trim() !== '' || g.values.length > 0) } };
    case 'intervals': {
      const rows = draft.intervals.filter((i) => i.label.trim() !== '' || i.fromText.trim() !== '' || i.toText.trim() !== '');
      const open = rows.find((i) => i.fromText.trim() === '' || i.toText.trim() === '');
      if (open) return { problem: `Give where the interval ${open.label.trim() === '' ? '' : `"${open.label.trim()}" `}starts and where it ends.` };
      return { spec: { kind: 'intervals', intervals: rows.map((i) => ({ label: i.label, from: i.fromText.trim(), to: i.toText.trim() })) } };
    }
    case 'age': {
      const ages = parseAgeIntervals(draft.agesText);
      return ages.ok ? { spec: { kind: 'age', intervals: ages.intervals } } : { problem: ages.problem };
    }
  }
}

/** The rule of a stratum draft, checked by the scheme (dates in bounds as the import reads them). */
export function ruleOf(draft: StratumDraft, field: Field): { rule: StratumRule | null; problem: string | null } {
  const made = specOf(draft);
  if ('problem' in made) return { rule: null, problem: made.problem };
  const checked = checkRule(made.spec, field);
  if (!checked.ok) return { rule: null, problem: checked.problem };
  return { rule: { ...checked.spec, fieldId: field.id } as StratumRule, problem: null };
}

/** The strata labels a checked rule makes, as the engine words them ("(no value)" and "Other" show only when profiles fall in them). */
export function stratumLabels(draft: StratumDraft, field: Field): string[] {
  const { rule } = ruleOf(draft, field);
  if (!rule || rule.kind === 'values') return [];
  return staticParts(rule, field.name, field.type)
    .slice(1)
    .map((p) => p.label);
}

/** The settings a draft stands for, or the problems that keep it from being valid. */
export function lcgFromDraft(draft: LcgDraft, fields: readonly Field[]): { lcg: LcgSettings | null; problems: LcgDraftProblems } {
  const percent = percentProblem(draft.percentText, { allowEmpty: true });
  const limit = limitProblem(draft.limitText);
  const strata: Record<number, string> = {};
  const rules: StratumRule[] = [];
  draft.strata.forEach((s, i) => {
    const field = fields.find((f) => f.id === s.fieldId);
    if (!field) {
      strata[i] = 'This field no longer exists.';
      return;
    }
    if (draft.strata.findIndex((o) => o.fieldId === s.fieldId) !== i) {
      strata[i] = `${field.name} stratifies once already.`;
      return;
    }
    const { rule, problem } = ruleOf(s, field);
    if (problem) strata[i] = problem;
    else if (rule) rules.push(rule);
  });
  const noSize = draft.percentText.trim() === '' && draft.limitText.trim() === '';
  const general =
    draft.strata.length > MAX_STRATA_FIELDS
      ? `At most ${MAX_STRATA_FIELDS} stratification fields.`
      : noSize && draft.strata.length > 0
        ? 'Stratification needs an LCG: give a percentage, a limit, or both.'
        : null;
  const problems: LcgDraftProblems = { percent, limit, strata, general };
  if (percent || limit || general || Object.keys(strata).length > 0) return { lcg: null, problems };
  const reading = parsePercent(draft.percentText);
  return {
    lcg: {
      percent: draft.percentText.trim() === '' || !reading.ok ? null : reading.text,
      limit: limitText(draft.limitText) === '' ? null : Number(limitText(draft.limitText)),
      strata: rules,
    },
    problems,
  };
}

export const hasProblems = (p: LcgDraftProblems): boolean =>
  p.percent !== null || p.limit !== null || p.general !== null || Object.keys(p.strata).length > 0;

/** Which setting is wrong and why, in one sentence ("LCG share: A percentage cannot be negative (-1)…"); null when none is. */
export function problemSummary(problems: LcgDraftProblems, draft: LcgDraft, fields: readonly Field[]): string | null {
  if (problems.percent) return `LCG share: ${problems.percent}`;
  if (problems.limit) return `Audience limit: ${problems.limit}`;
  const first = Object.entries(problems.strata)[0];
  if (first) {
    const field = fields.find((f) => f.id === draft.strata[Number(first[0])]?.fieldId);
    return `Stratification${field ? ` by ${field.name}` : ''}: ${first[1]}`;
  }
  return problems.general;
}

/** The LCG size the settings give an audience of `audience` profiles (STATS.md 1.1), for a live preview; null when invalid. */
export function previewControlTotal(lcg: LcgSettings | null, audience: number): number | null {
  if (!lcg) return null;
  try {
    return controlTotal(audience, { percent: lcg.percent, limit: lcg.limit });
  } catch {
    return null;
  }
}

/** Settings compared as the engine sees them (a percent of "10" and 10 are the same). */
export function sameLcg(a: LcgSettings, b: LcgSettings): boolean {
  const norm = (l: LcgSettings) => JSON.stringify({ percent: l.percent === null ? null : Number(l.percent), limit: l.limit, strata: l.strata.map(ruleText) });
  return norm(a) === norm(b);
}
