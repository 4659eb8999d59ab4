import { z } from 'zod';
import type { FileSystem } from '../deps';
import { writeFileAtomic } from '../project/atomic-write';

export interface JsonStoreDeps {
  readonly fs: FileSystem;
  readonly randomId: () => string;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Reads a small JSON file kept by the app (recent list, recovery notes). A file that is
 * missing, unreadable or of the wrong shape reads as `fallback`: these files are
 * conveniences and must never stop the app from starting.
 */
export async function readJson<S extends z.ZodType>(
  deps: JsonStoreDeps,
  path: string,
  schema: S,
  fallback: z.output<S>,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await deps.fs.readFile(path, 'utf8');
  } catch {
    return fallback;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export async function writeJson(deps: JsonStoreDeps, path: string, value: unknown): Promise<void> {
  const bytes = new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  await writeFileAtomic(deps.fs, path, bytes, { randomId: deps.randomId, sleep: deps.sleep });
}
