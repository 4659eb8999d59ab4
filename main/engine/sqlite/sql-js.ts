import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { hookDiskFiles } from './disk-syscalls';
import { hookFileSystem } from './file-room';
import { hookPageWrites } from './page-writes';
import { noteWasmMemory } from './wasm-memory';

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

/** The few WebAssembly calls used here (the Node side's typings carry no DOM library). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WebAssembly.Module>;
  instantiate(module: WebAssembly.Module, imports: unknown): Promise<unknown>;
  readonly Memory: abstract new (...args: never[]) => { readonly buffer: ArrayBufferLike };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

let loading: Promise<SqlJsStatic> | null = null;
let compiled: WebAssembly.Module | null = null;

/**
 * Loads sql.js once per thread; the WASM module is shared by every database it opens. The
 * module is compiled here (not by sql.js) so that worker threads can be given the same
 * compiled code (sqlWasmModule), with the optimisations V8 has made to it so far.
 */
export function loadSqlJs(wasmPath: string = locateSqlWasm()): Promise<SqlJsStatic> {
  loading ??= wasm.compile(readFileSync(wasmPath)).then(loadSqlJsFrom);
  return loading;
}

/** Loads sql.js on an already compiled module (a worker thread given the engine's). */
export function loadSqlJsFrom(module: WebAssembly.Module): Promise<SqlJsStatic> {
  compiled = module;
  const config = {
    // Emscripten's hook: instantiate the given module instead of fetching and compiling one.
    instantiateWasm(imports: unknown, receive: (instance: unknown, module: WebAssembly.Module) => void) {
      let memory: InstanceType<WasmApi['Memory']> | null = null;
      // Before instantiating: the module keeps the imports it is given (file-room.ts).
      // The disk files' calls first: the other hooks wrap them and log what SQLite writes.
      hookDiskFiles(imports, () => memory?.buffer ?? null);
      hookFileSystem(imports, () => memory?.buffer ?? null);
      hookPageWrites(imports, () => memory?.buffer ?? null);
      noteWasmMemory(() => memory?.buffer ?? null);
      void wasm.instantiate(module, imports).then((instance) => {
        const exports = Object.values((instance as { exports?: object }).exports ?? {}) as unknown[];
        memory = (exports.find((value) => value instanceof wasm.Memory) as typeof memory | undefined) ?? null;
        receive(instance, module);
      });
      return {};
    },
  };
  return initSqlJs(config as unknown as Parameters<typeof initSqlJs>[0]);
}

/** The compiled sql.js module of this thread, once loaded by loadSqlJs. */
export function sqlWasmModule(): WebAssembly.Module | null {
  return compiled;
}
