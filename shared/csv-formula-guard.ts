/**
 * The protection against formula injection (OWASP "CSV injection") of every CSV the app
 * writes, and its undoing on import: one rule, used by the profile and event exports
 * (byte by byte, main/engine/export/csv-builder.ts), the import's error report, the
 * analysis report, and every reader of IDs and values.
 *
 * The export rule: a text value matching /^'*[=+\-@\t\r]/ is written with one more
 * leading apostrophe, so "=1+1" is exported as "'=1+1" and a spreadsheet shows it as text,
 * and a value that already was "'=1+1" is exported as "''=1+1". The import undoes exactly
 * that: a text cell matching /^'+[=+\-@\t\r]/ loses one leading apostrophe, so export then
 * re-import gives back every value unchanged. Any other apostrophe ("'quoted'", "'123")
 * is data and stays. Cells like =HYPERLINK(...) in a file that did not come from our export
 * are kept as the text they are: the app stores and shows text, it never evaluates it.
 * Numbers are never guarded (-5 stays -5).
 */

/** The characters that start a formula in a spreadsheet (after any apostrophes). */
export const FORMULA_START_CHARS = '=+-@\t\r';

const FORMULA_START_CLASS = [...FORMULA_START_CHARS].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const GUARDED = new RegExp(`^'*[${FORMULA_START_CLASS}]`);
const UNGUARD = new RegExp(`^'+[${FORMULA_START_CLASS}]`);

/** A text cell as the export writes it: one more leading apostrophe when it would start a formula. */
export function escapeFormulaGuard(text: string): string {
  return GUARDED.test(text) ? `'${text}` : text;
}

/** A text cell as the import reads it: the export's apostrophe taken off again. */
export function unescapeFormulaGuard(text: string): string {
  return text.charCodeAt(0) === 39 /* ' */ && UNGUARD.test(text) ? text.slice(1) : text;
}
