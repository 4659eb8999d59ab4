import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  combineMethods,
  contract,
  EngineError,
  ERROR_CODES,
  isEnvelope,
  method,
  METHOD_NAMES,
  toErrorPayload,
} from '../../shared/contract/index';
import { invalidArgument } from '../../shared/contract/validation';

describe('the engine contract', () => {
  it('names every method domain/verb and documents it', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(10);
    for (const name of METHOD_NAMES) {
      expect(name).toMatch(/^[a-z][a-zA-Z0-9]*\/[a-z][a-zA-Z0-9]*$/);
      const spec = contract[name];
      expect(spec.doc.length, name).toBeGreaterThan(10);
      expect(spec.args, name).toBeInstanceOf(z.ZodType);
      expect(spec.result, name).toBeInstanceOf(z.ZodType);
    }
  });

  it('refuses a method declared twice, even in different domains', () => {
    const a = { 'x/do': method({ doc: 'Does x.', args: z.object({}), result: z.null() }) };
    const b = { 'x/do': method({ doc: 'Does x again.', args: z.object({}), result: z.null() }) };
    expect(() => combineMethods(a, b)).toThrow(/declared twice/);
  });

  it('refuses a method name that is not domain/verb', () => {
    const bad = { doThings: method({ doc: 'Bad name.', args: z.object({}), result: z.null() }) };
    expect(() => combineMethods(bad)).toThrow(/domain\/verb/);
  });

  it('marks only cheap read-only calls as concurrent', () => {
    const concurrent = METHOD_NAMES.filter((n) => contract[n].concurrent);
    for (const name of concurrent) expect(contract[name].mutates, name).toBe(false);
    expect(concurrent).toContain('operation/cancel');
  });

  it('rejects unknown argument keys (strict objects), so typos do not pass silently', () => {
    expect(contract['project/new'].args.safeParse({ nmae: 'x' }).success).toBe(false);
    expect(contract['project/new'].args.safeParse({ name: 'x' }).success).toBe(true);
  });

  it('refuses save targets that are not .cplan files', () => {
    expect(contract['project/saveAs'].args.safeParse({ path: '/home/u/.bashrc' }).success).toBe(false);
    expect(contract['project/saveAs'].args.safeParse({ path: '/home/u/plan.CPLAN' }).success).toBe(true);
  });
});

describe('the error envelope', () => {
  it('round-trips an EngineError', () => {
    const error = new EngineError('NOT_FOUND', 'Gone.', { path: '/x' });
    const back = EngineError.fromPayload(JSON.parse(JSON.stringify(error.toPayload())));
    expect(back).toBeInstanceOf(EngineError);
    expect([back.code, back.message, back.details]).toEqual(['NOT_FOUND', 'Gone.', { path: '/x' }]);
  });

  it('turns unexpected errors into INTERNAL with their message', () => {
    expect(toErrorPayload(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'Unexpected error: boom' });
  });

  it('recognises envelopes and only envelopes with a known code', () => {
    expect(isEnvelope({ ok: true, data: null })).toBe(true);
    expect(isEnvelope({ ok: false, error: { code: 'CANCELLED', message: 'x' } })).toBe(true);
    expect(isEnvelope({ ok: false, error: { code: 'TEAPOT', message: 'x' } })).toBe(false);
    expect(isEnvelope({ ok: true })).toBe(false);
    expect(isEnvelope('ok')).toBe(false);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it("says sizes out of bounds plainly, not in the schema library's words, and keeps a schema's own message", () => {
    const schema = z.strictObject({
      name: z.string().min(1).max(200),
      seed: z.string().min(1),
      ids: z.array(z.string()).min(1).max(26),
      share: z.number().int().min(0).max(10_000),
      label: z.string().max(5, 'A label has at most 5 characters.'),
    });
    const message = (args: unknown) => {
      const parsed = schema.safeParse(args);
      if (parsed.success) throw new Error('expected a failure');
      return invalidArgument('arguments for campaign/create', parsed.error).message;
    };
    const ok = { name: 'n', seed: 's', ids: ['a'], share: 1, label: 'l' };
    expect(message({ ...ok, name: 'x'.repeat(201) })).toBe('Invalid arguments for campaign/create: name: at most 200 characters.');
    expect(message({ ...ok, seed: '' })).toBe('Invalid arguments for campaign/create: seed: cannot be empty.');
    expect(message({ ...ok, ids: Array.from({ length: 1027 }, () => 'a') })).toBe('Invalid arguments for campaign/create: ids: at most 26 items.');
    expect(message({ ...ok, ids: [] })).toBe('Invalid arguments for campaign/create: ids: at least 1 item.');
    expect(message({ ...ok, share: 10_001 })).toBe('Invalid arguments for campaign/create: share: at most 10,000.');
    expect(message({ ...ok, label: 'long label' })).toBe('Invalid arguments for campaign/create: label: A label has at most 5 characters.');
  });
});
