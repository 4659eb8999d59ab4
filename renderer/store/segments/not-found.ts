import type { MembershipChange } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';

/** IDs named in a sentence (a notice) before "and N more"; the segment's page lists more. */
export const NOT_FOUND_IN_SENTENCE = 5;
/** IDs listed on screen before "and N more"; copy and download take every ID the engine reported. */
export const NOT_FOUND_ON_SCREEN = 20;

/** The first `shown` IDs not found, and how many more there were (counting those the engine did not list). */
export function notFoundHead(change: MembershipChange, shown: number): { ids: readonly string[]; more: number } {
  const ids = change.notFound.slice(0, shown);
  return { ids, more: change.notFoundCount - ids.length };
}

/** "2 IDs were not found in the database: X1, X2." or "…: a, b, c, d, e and 7 more." */
export function notFoundSentence(change: MembershipChange): string {
  const { ids, more } = notFoundHead(change, NOT_FOUND_IN_SENTENCE);
  const head = `${countOf(change.notFoundCount, 'ID was', 'IDs were')} not found in the database`;
  if (ids.length === 0) return `${head}.`;
  return `${head}: ${ids.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}.`;
}

/**
 * The IDs not found as a text file, one per line, as the segment's page takes them: every
 * ID the engine reported (of a very long list, its first ones; the button says how many).
 */
export function notFoundFile(change: MembershipChange): { fileName: string; text: string } {
  return { fileName: `${change.segment.name} - IDs not found.txt`, text: `${change.notFound.join('\n')}\n` };
}
