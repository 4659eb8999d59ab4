import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

const made: string[] = [];
const later: string[] = [];

/** A fresh folder under the system temp dir, removed after the test. */
export function tempDir(prefix = 'cplan-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const remove = (dir: string) => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });

afterEach(() => {
  // An engine a test leaves running may still be writing its recovery copy into the folder
  // (a recovery copy is written a moment after each change): rmdir then fails with
  // ENOTEMPTY. Such a folder is removed after the file's last test instead; the test itself
  // is not about the folder.
  for (const dir of made.splice(0)) {
    try {
      remove(dir);
    } catch {
      later.push(dir);
    }
  }
});

afterAll(() => {
  for (const dir of later.splice(0)) {
    try {
      remove(dir);
    } catch {
      // Left in the system temp folder; nothing reads it again.
    }
  }
});
