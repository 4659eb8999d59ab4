import { describe, expect, it } from 'vitest';
import { startTestEngine } from '../../helpers/engine';
import { join } from 'node:path';

describe('smoke', () => {
  it('creates, saves, reopens', async () => {
    const t = await startTestEngine();
    const s = await t.call('project/new', { name: 'Spring plan' });
    expect(s.dirty).toBe(false);
    const u = await t.call('project/update', { description: 'hello' });
    expect(u.dirty).toBe(true);
    const path = join(t.dir, 'spring.cplan');
    const saved = await t.call('project/saveAs', { path }, 'op1');
    expect(saved.dirty).toBe(false);
    await t.call('project/close', {});
    const opened = await t.call('project/open', { path }, 'op2');
    expect(opened.name).toBe('Spring plan');
    expect(opened.description).toBe('hello');
    const info = await t.call('project/info', {});
    console.log(info, t.events.map((e) => e.event));
  });
});
