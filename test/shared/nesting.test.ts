import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, EngineRequest, METHOD_NAMES } from '../../shared/contract/index';
import { MAX_ARGS_NESTING, nestsDeeperThan } from '../../shared/contract/nesting';

/** `[[[...]]]` with `depth` arrays, built without recursion. */
function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
}

describe('nestsDeeperThan', () => {
  it('counts levels of arrays and objects; plain values are level 0', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan([], 0)).toBe(true);
    expect(nestsDeeperThan([], 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: {} }] }, 3)).toBe(true);
  });

  it('finds the deepest branch, wherever it is', () => {
    const wide = { first: 1, items: Array.from({ length: 1000 }, (_, i) => (i === 999 ? nestedArrays(10) : i)) };
    // The object, its array, then ten arrays: 12 levels.
    expect(nestsDeeperThan(wide, 12)).toBe(false);
    expect(nestsDeeperThan(wide, 11)).toBe(true);
  });

  it('walks 1,000,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nestedArrays(1_000_000), MAX_ARGS_NESTING)).toBe(true);
    expect(nestsDeeperThan(JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000)), MAX_ARGS_NESTING)).toBe(true);
  });

  it('ends on cycles (endlessly deep) and on shared branches (2^40 paths, 40 objects)', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(nestsDeeperThan(cyclic, MAX_ARGS_NESTING)).toBe(true);
    let shared: unknown = 'leaf';
    for (let level = 0; level < 40; level += 1) shared = { left: shared, right: shared };
    expect(nestsDeeperThan(shared, 40)).toBe(false);
    expect(nestsDeeperThan(shared, 39)).toBe(true);
  });
});

describe('EngineRequest (checked at every transport)', () => {
  it(`accepts arguments nested up to ${MAX_ARGS_NESTING} levels and refuses deeper ones, naming args`, () => {
    expect(EngineRequest.safeParse({ method: 'x/y', args: nestedArrays(MAX_ARGS_NESTING) }).success).toBe(true);
    const refused = EngineRequest.safeParse({ method: 'x/y', args: nestedArrays(MAX_ARGS_NESTING + 1) });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([['args']]);
    expect(EngineRequest.safeParse({ method: 'x/y', args: nestedArrays(100_000) }).success).toBe(false);
  });
});

/** The fields of an object schema (through a transform's input), or none. */
function fieldsOf(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return fieldsOf(schema.in as z.ZodType);
  return [];
}

describe('the engine’s own validation of every method', () => {
  it('refuses 100,000 nested arrays as the arguments or as any field without overflowing the stack', () => {
    const deep = nestedArrays(100_000);
    let fields = 0;
    for (const name of METHOD_NAMES) {
      const schema = contract[name].args;
      fields += fieldsOf(schema).length;
      const attempts = [deep, ...fieldsOf(schema).map((field) => ({ [field]: deep }))];
      for (const args of attempts) {
        expect(() => schema.safeParse(args), name).not.toThrow();
        expect(schema.safeParse(args).success, name).toBe(false);
      }
    }
    expect(fields).toBeGreaterThan(METHOD_NAMES.length);
  });
});
