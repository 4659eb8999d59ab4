/**
 * kill -9 during a save in place (save-journal.ts), with real processes: `cplan segment
 * create --from all` is killed the moment its journal appears next to the project (while
 * it writes the changed pages), again and again; every time, the next command opens the
 * project as it was before or after that command, never damaged, and nothing saved before
 * is lost.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPLAN, cplanWorkspace } from '../../helpers/cplan-process';

/** Runs a command and kills it (SIGKILL) as soon as `watch` exists; whether it was killed so. */
function runKilledAt(dir: string, watch: string, ...args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CPLAN, ...args], { cwd: dir, env: { ...process.env, CPLAN_DATA_DIR: join(dir, 'data') } });
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && existsSync(watch)) {
        killed = child.kill('SIGKILL');
      }
    }, 0);
    child.on('exit', () => {
      clearInterval(poll);
      resolve(killed);
    });
  });
}

describe('kill -9 during a save in place', () => {
  it('the project opens as before or after the killed command, every time', async () => {
    const ws = cplanWorkspace();
    const json = ['--json'];
    expect((await ws.run('demo', 'p.cplan', '--profiles', '100000', '--seed', 'kill')).code).toBe(0);
    const file = join(ws.dir, 'p.cplan');
    const journal = `${file}.journal`;
    let saved = 0;
    let killedMidSave = 0;
    for (let i = 1; i <= 6; i += 1) {
      const killed = await runKilledAt(ws.dir, journal, 'segment', 'create', file, `All ${i}`, '--database', 'Customers', '--from', 'all');
      if (killed) killedMidSave += 1;
      const listed = await ws.run('segment', 'list', file, ...json);
      expect(listed.code, listed.stderr).toBe(0);
      expect(existsSync(journal)).toBe(false);
      const names = (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name).filter((n) => n.startsWith('All '));
      // Everything saved before is there; the killed command's segment is there whole or not at all.
      expect(names.length === saved || names.length === saved + 1, names.join(', ')).toBe(true);
      saved = names.length;
    }
    const checked = await ws.run('info', file, ...json);
    expect(checked.code, checked.stderr).toBe(0);
    // The journal was caught at least once (when the machine lets the poll run in time, every time).
    expect(killedMidSave).toBeGreaterThan(0);
  }, 180_000);
});
