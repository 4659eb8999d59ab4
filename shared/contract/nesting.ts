/**
 * How deeply a call's arguments may nest objects and arrays. The deepest argument of any
 * method is a handful of levels; anything near this limit is an attack or a bug. Without
 * a limit, 100,000 nested arrays pass JSON.parse and then overflow the stack of whatever
 * walks them next (the copy to the engine thread, JSON.stringify, a logger).
 */
export const MAX_ARGS_NESTING = 32;

/**
 * True when `value` nests objects or arrays more than `limit` levels deep (a plain value
 * is level 0, `[]` level 1, `[[]]` level 2). Walks with its own stack, never by recursion,
 * so no input can overflow the call stack; a shared object is walked again only when it
 * is reached deeper than before, so cycles and shared branches (which IPC's structured
 * clone can carry) end without blowing up.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const deepestSeen = new Map<object, number>();
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    const level = depth + 1;
    if (level > limit) return true;
    if ((deepestSeen.get(item) ?? 0) >= level) continue;
    deepestSeen.set(item, level);
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, level]);
  }
  return false;
}
