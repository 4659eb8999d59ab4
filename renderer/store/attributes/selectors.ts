import { MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE, type CampaignAttribute } from '../../../shared/contract/index';
import { sameName, tooLongProblem } from '../../lib/text';
import type { AppState } from '../types';

const NONE: readonly CampaignAttribute[] = [];

export const selectAttributes = (state: AppState): readonly CampaignAttribute[] => state.attributes ?? NONE;

export function attributeNameProblem(name: string, attributes: readonly CampaignAttribute[]): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'The attribute name cannot be empty.';
  const tooLong = tooLongProblem(trimmed, MAX_ATTRIBUTE_NAME);
  if (tooLong) return tooLong;
  const taken = attributes.find((a) => sameName(a.name, trimmed));
  return taken ? `There is already an attribute named "${taken.name}".` : null;
}

/** Choices as typed: one per line, trimmed, blank lines dropped. */
export function parseChoices(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

export function choicesProblem(choices: readonly string[]): string | null {
  if (choices.length > 200) return 'At most 200 choices.';
  if (choices.some((c) => c.length > 200)) return 'A choice has at most 200 characters.';
  const seen = new Set<string>();
  for (const c of choices) {
    if (seen.has(c)) return `"${c}" is listed twice.`;
    seen.add(c);
  }
  return null;
}

/**
 * What is wrong with a campaign's attribute values: a required one left empty, or a value
 * that is not one of its choices. Keyed by attribute id; empty when all is well.
 */
export function attributeValueProblems(
  attributes: readonly CampaignAttribute[],
  values: Readonly<Record<string, string>>,
): Record<number, string> {
  const problems: Record<number, string> = {};
  for (const a of attributes) {
    const value = (values[String(a.id)] ?? '').trim();
    const tooLong = tooLongProblem(value, MAX_ATTRIBUTE_VALUE);
    if (a.required && value === '') problems[a.id] = `${a.name} is required.`;
    else if (value !== '' && a.choices.length > 0 && !a.choices.includes(value)) problems[a.id] = `Choose one of the values of ${a.name}.`;
    else if (tooLong) problems[a.id] = tooLong;
  }
  return problems;
}

/** Values to send: trimmed, empty ones left out. */
export function cleanAttributeValues(values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, value] of Object.entries(values)) if (value.trim() !== '') out[id] = value.trim();
  return out;
}
