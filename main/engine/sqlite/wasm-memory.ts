/**
 * The size of sql.js's WebAssembly memory (its heap: SQLite's page cache, sorts, temporary
 * b-trees and statements; the database file itself lives outside it, in MEMFS). The module
 * is 32-bit and built to grow its heap to at most 2 GiB (emscripten_get_heap_max): a query
 * that needs more fails with "out of memory". Benchmarks read it to find the ceiling.
 */
let current: (() => ArrayBufferLike | null) | null = null;

/** Called as each sql.js module is instantiated (sql-js.ts), with the getter of its memory. */
export function noteWasmMemory(memory: () => ArrayBufferLike | null): void {
  current = memory;
}

/** The bytes of the last instantiated module's heap now (0 before one is). */
export function wasmHeapBytes(): number {
  return current?.()?.byteLength ?? 0;
}

/** The most the heap can grow to: sql.js 1.x is built with a 2 GiB maximum. */
export const WASM_HEAP_MAX_BYTES = 2 * 1024 ** 3;
