/**
 * The LCG editor's draft: percent and limit as typed, and the stratification rules in an
 * editable form. Pure functions, so the rules are tested without an engine; the engine
 * checks again, and its word is final.
 */
import type { Field, LcgSettings, StratumRule } from '../../../shared/contract/index';
import { controlTotal } from '../../../shared/split/control-total';
import { percentProblem, normalisePercent } from '../gcg/selectors';

export type StratumKind = StratumRule['kind'];

export interface GroupDraft {
  readonly label: string;
  /** One value per line. */
  readonly valuesText: string;
}

export interface StratumDraft {
  readonly fieldId: number;
  readonly kind: StratumKind;
  readonly groups: readonly GroupDraft[];
  /** Ascending bounds, separated by commas or lines. */
  readonly boundsText: string;
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

export const MAX_STRATA_FIELDS = 5;

export const EMPTY_DRAFT: LcgDraft = { percentText: '', limitText: '', strata: [] };

export const STRATUM_KIND_LABELS: Readonly<Record<StratumKind, string>> = {
  values: 'Each value',
  groups: 'Groups of values',
  ranges: 'Ranges',
};

/** The ways a field can stratify: categories by value or groups of values, numbers and dates by ranges (or by value). */
export function kindsFor(field: Field): StratumKind[] {
  switch (field.type) {
    case 'number':
    case 'date':
    case 'datetime':
      return ['ranges', 'values'];
    case 'boolean':
      return ['values'];
    default:
      return ['values', 'groups'];
  }
}

export function newStratum(field: Field): StratumDraft {
  return { fieldId: field.id, kind: kindsFor(field)[0] ?? 'values', groups: [{ label: '', valuesText: '' }], boundsText: '' };
}

export const splitLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

const splitBounds = (text: string): string[] =>
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
      groups: rule.kind === 'groups' ? rule.groups.map((g) => ({ label: g.label, valuesText: g.values.join('\n') })) : [{ label: '', valuesText: '' }],
      boundsText: rule.kind === 'ranges' ? rule.bounds.map(String).join(', ') : '',
    })),
  };
}

function limitProblem(text: string): string | null {
  const trimmed = text.trim().replace(/[,\s]/g, '');
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return 'A limit is a whole number of profiles, such as 5000.';
  if (!Number.isSafeInteger(Number(trimmed))) return 'That limit is too large.';
  return null;
}

const parseLimit = (text: string): number | null => {
  const trimmed = text.trim().replace(/[,\s]/g, '');
  return trimmed === '' ? null : Number(trimmed);
};

function boundsProblem(field: Field, bounds: readonly string[]): string | null {
  if (bounds.length === 0) return `Give at least one bound to cut ${field.name} at.`;
  if (bounds.length > 50) return 'At most 50 bounds.';
  if (field.type === 'number') {
    const numbers = bounds.map(Number);
    if (numbers.some((n, i) => !Number.isFinite(n) || bounds[i] === '')) return `The bounds of ${field.name} are numbers, such as 18, 25, 35.`;
    if (numbers.some((n, i) => i > 0 && n <= (numbers[i - 1] ?? n))) return 'The bounds must go up, each larger than the one before.';
    return null;
  }
  const pattern = field.type === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
  if (bounds.some((b) => !pattern.test(b))) return `The bounds of ${field.name} are dates such as 2024-01-01.`;
  if (bounds.some((b, i) => i > 0 && b <= (bounds[i - 1] ?? b))) return 'The bounds must go up, each later than the one before.';
  return null;
}

function ruleOf(draft: StratumDraft, field: Field): { rule: StratumRule | null; problem: string | null } {
  if (!kindsFor(field).includes(draft.kind)) return { rule: null, problem: `${field.name} cannot be stratified that way.` };
  if (draft.kind === 'values') return { rule: { kind: 'values', fieldId: field.id }, problem: null };
  if (draft.kind === 'ranges') {
    const bounds = splitBounds(draft.boundsText);
    const problem = boundsProblem(field, bounds);
    if (problem) return { rule: null, problem };
    return { rule: { kind: 'ranges', fieldId: field.id, bounds: field.type === 'number' ? bounds.map(Number) : bounds }, problem: null };
  }
  const groups = draft.groups
    .map((g) => ({ label: g.label.trim(), values: splitLines(g.valuesText) }))
    .filter((g) => g.label !== '' || g.values.length > 0);
  if (groups.length === 0) return { rule: null, problem: 'Add at least one group: a label and its values.' };
  if (groups.some((g) => g.label === '')) return { rule: null, problem: 'Every group needs a label.' };
  if (groups.some((g) => g.label.length > 100)) return { rule: null, problem: 'A group label has at most 100 characters.' };
  if (groups.some((g) => g.values.length === 0)) return { rule: null, problem: 'Every group needs at least one value.' };
  if (new Set(groups.map((g) => g.label.toLowerCase())).size !== groups.length) return { rule: null, problem: 'Two groups have the same label.' };
  const all = groups.flatMap((g) => g.values);
  const twice = all.find((v, i) => all.indexOf(v) !== i);
  if (twice !== undefined) return { rule: null, problem: `"${twice}" is in two groups.` };
  return { rule: { kind: 'groups', fieldId: field.id, groups }, problem: null };
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
  return {
    lcg: {
      percent: draft.percentText.trim() === '' ? null : normalisePercent(draft.percentText),
      limit: parseLimit(draft.limitText),
      strata: rules,
    },
    problems,
  };
}

export const hasProblems = (p: LcgDraftProblems): boolean =>
  p.percent !== null || p.limit !== null || p.general !== null || Object.keys(p.strata).length > 0;

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
  const norm = (l: LcgSettings) => JSON.stringify({ ...l, percent: l.percent === null ? null : Number(l.percent) });
  return norm(a) === norm(b);
}

/** The strata a range rule makes, for the editor: "below 18", "18 to 25", "65 and above". */
export function rangeLabels(bounds: readonly string[]): string[] {
  if (bounds.length === 0) return [];
  const labels = [`below ${bounds[0] ?? ''}`];
  for (let i = 1; i < bounds.length; i += 1) labels.push(`${bounds[i - 1] ?? ''} to ${bounds[i] ?? ''}`);
  labels.push(`${bounds[bounds.length - 1] ?? ''} and above`);
  return labels;
}

export const boundsOf = (text: string): string[] => splitBounds(text);
