import { describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../../main/engine/engine';
import { createRegistry, defineHandlers } from '../../../main/engine/registry';
import { appHandlers } from '../../../main/engine/app/handlers';
import { projectHandlers } from '../../../main/engine/project/handlers';
import { startTestEngine } from '../../helpers/engine';

describe('handler registration', () => {
  it('refuses a method registered by two domains', () => {
    const again = defineHandlers({ 'engine/ping': appHandlers['engine/ping'] });
    expect(() => createRegistry([appHandlers, again])).toThrow(/two handlers/);
  });

  it('refuses a registry that leaves a contract method unanswered', () => {
    expect(() => createRegistry([projectHandlers], { complete: true })).toThrow(/without a handler: .*files\/list/);
  });

  it('refuses a handler for a method that is not in the contract', () => {
    const stray = { 'project/explode': () => null } as unknown as typeof appHandlers;
    expect(() => createRegistry([stray])).toThrow(/not in the contract/);
  });

  it('validates arguments before any handler runs', async () => {
    const { deps } = await startTestEngine();
    const spy = vi.fn(() => ({ open: false as const }));
    const registry = createRegistry([{ ...projectHandlers, 'project/close': spy }, appHandlers]);
    const engine = createEngine(deps, () => undefined, registry);
    const envelope = await engine.call({ method: 'project/close', args: { discard: 'yes' } });
    expect(spy).not.toHaveBeenCalled();
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'discard' }] } } });
    expect(await engine.call({ method: 'project/close', args: 'not an object' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    expect(spy).not.toHaveBeenCalled();
    await engine.call({ method: 'project/close', args: {} });
    expect(spy).toHaveBeenCalledOnce();
  });

  it('answers an unknown method with UNKNOWN_METHOD, not an exception', async () => {
    const t = await startTestEngine();
    expect(await t.raw('project/explode', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await t.raw('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('turns a handler bug into an INTERNAL envelope', async () => {
    const { deps } = await startTestEngine();
    const registry = createRegistry([
      { 'engine/ping': () => { throw new RangeError('off by one'); } } as unknown as typeof appHandlers,
    ]);
    const engine = createEngine(deps, () => undefined, registry);
    expect(await engine.call({ method: 'engine/ping', args: {} })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error: off by one' },
    });
  });
});
