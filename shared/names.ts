/**
 * How names (of fields, columns, databases) compare: without case, in any script, as the
 * engine compares them. Used by the engine and the UI alike.
 */
const NAMES = new Intl.Collator(undefined, { sensitivity: 'accent' });

export const sameName = (a: string, b: string): boolean => NAMES.compare(a, b) === 0;

/**
 * Names looked up as `sameName` compares them, without comparing each name with every
 * other (a header of hundreds of columns against each other and the fields): sorted once
 * by the same collation, then found by binary search. Among equal names the first added wins.
 */
export class NameIndex<T> {
  private readonly sorted: { readonly name: string; readonly value: T; readonly order: number }[];

  constructor(entries: Iterable<readonly [string, T]>) {
    this.sorted = Array.from(entries, ([name, value], order) => ({ name, value, order }));
    this.sorted.sort((a, b) => NAMES.compare(a.name, b.name) || a.order - b.order);
  }

  /** The value of the first name added that is the same as `name`. */
  get(name: string): T | undefined {
    return this.all(name)[0];
  }

  /** The values of every name that is the same as `name`, in the order they were added. */
  all(name: string): T[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (NAMES.compare(this.sorted[mid]!.name, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    const found: T[] = [];
    for (let i = lo; i < this.sorted.length && NAMES.compare(this.sorted[i]!.name, name) === 0; i += 1) found.push(this.sorted[i]!.value);
    return found;
  }
}
