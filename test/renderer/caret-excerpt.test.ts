import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../shared/conditions/parse';
import { caretExcerpt } from '../../renderer/lib/text';

/** The caret of a parse error stays under the mistake and inside a box of `width` characters. */
describe('caretExcerpt', () => {
  it('keeps a short line whole, the caret under the column', () => {
    expect(caretExcerpt('city is', 8)).toBe('city is\n       ^');
  });

  it('cuts a long line around the mistake, which stays above the caret', () => {
    const text = `${'purchases >= 1 and '.repeat(12)}birth_date < 2000-01-01`;
    const parsed = parseCondition(text);
    if (parsed.ok) throw new Error('expected a syntax error');
    const [line, caret] = caretExcerpt(parsed.error.excerpt.split('\n')[0]!, parsed.error.column, 40).split('\n');
    expect(line!.length).toBeLessThanOrEqual(42);
    expect(caret!.length).toBeLessThanOrEqual(line!.length);
    // The character above the caret is the one the error names.
    expect(line![caret!.length - 1]).toBe(text[parsed.error.offset]);
    expect(line!.startsWith('…')).toBe(true);
  });

  it('does not cut the end of a line whose mistake is at its end', () => {
    const line = 'x'.repeat(100);
    const [shown, caret] = caretExcerpt(line, 101, 40).split('\n');
    expect(shown).toBe(`…${'x'.repeat(40)}`);
    expect(caret!.length).toBe(42);
  });
});
