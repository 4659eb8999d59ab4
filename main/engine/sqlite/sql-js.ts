import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const WASM_NAME = 'sql-wasm.wasm';

/**
 * Finds sql.js's WebAssembly file: next to the bundle that runs (dist/main, copied there by
 * the build; inside a packaged app it sits in app.asar.unpacked because worker threads
 * cannot read from the asar archive), else in node_modules (tests run the sources).
 */
export function locateSqlWasm(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, WASM_NAME), join(here.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'), WASM_NAME)];
  try {
    candidates.push(createRequire(import.meta.url).resolve(`sql.js/dist/${WASM_NAME}`));
  } catch {
    // not installed as a package: only the bundled copy can serve
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`sql.js WebAssembly not found; looked in: ${candidates.join(', ')}`);
  return found;
}

let loading: Promise<SqlJsStatic> | null = null;

/** Loads sql.js once per thread; the WASM module is shared by every database it opens. */
export function loadSqlJs(wasmPath: string = locateSqlWasm()): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ wasmBinary: readFileSync(wasmPath) as unknown as ArrayBuffer });
  return loading;
}
