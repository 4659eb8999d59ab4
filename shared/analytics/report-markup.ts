/**
 * The few pieces of HTML the analysis report is built from. Every text goes through
 * `escapeHtml` here, in one place: names come from users (a campaign called
 * `<script>…`), and the report is opened in a browser.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Markup that is already escaped, as opposed to text that still needs it. */
export interface Markup {
  readonly html: string;
}

export const raw = (html: string): Markup => ({ html });

const isMarkup = (x: unknown): x is Markup => typeof x === 'object' && x !== null && 'html' in x;

/** Text or markup as HTML: text is escaped, markup kept. */
export const render = (content: string | Markup): string => (isMarkup(content) ? content.html : escapeHtml(content));

/** An element with escaped attributes and content; `null` attributes are left out. */
export function el(tag: string, attributes: Readonly<Record<string, string | null>>, ...content: (string | Markup)[]): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return raw(`<${tag}${attrs}>${content.map(render).join('')}</${tag}>`);
}

export const join = (parts: readonly Markup[]): Markup => raw(parts.map((p) => p.html).join('\n'));

export interface Column<R> {
  readonly header: string;
  readonly cell: (row: R) => string | Markup;
  /** Numbers align right, so digits line up. */
  readonly numeric?: boolean;
}

/** A table with a caption, a header row and one row per item; `rowClass` marks rows (too small, flagged). */
export function table<R>(id: string, caption: string, columns: readonly Column<R>[], rows: readonly R[], rowClass?: (row: R) => string | null): Markup {
  const head = el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.header)));
  const body = rows.map((row) => el('tr', { class: rowClass?.(row) ?? null }, ...columns.map((c) => el('td', { class: c.numeric ? 'num' : null }, c.cell(row)))));
  return el('div', { class: 'table-wrap' }, el('table', { id }, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...body)));
}

/** A two-column table of labelled figures ("Absolute uplift" → "+1.13 points"). */
export function figures(id: string, caption: string, rows: readonly (readonly [string, string | Markup])[]): Markup {
  return el(
    'div',
    { class: 'table-wrap' },
    el('table', { id, class: 'figures' }, el('caption', {}, caption), el('tbody', {}, ...rows.map(([label, value]) => el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, value))))),
  );
}

/** A section with its heading (h2), labelled by it for screen readers. */
export function section(id: string, heading: string, ...content: (string | Markup)[]): Markup {
  return el('section', { id, 'aria-labelledby': `${id}-heading` }, el('h2', { id: `${id}-heading` }, heading), ...content.map((c) => (typeof c === 'string' ? el('p', {}, c) : c)));
}
