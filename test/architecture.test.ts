import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(name)) out.push(full);
    }
  };
  walk(join(root, dir));
  return out;
}

/** Module specifiers of static imports, dynamic imports and requires in a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
    found.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

function violations(dir: string, forbidden: (specifier: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((s) => forbidden(s, file))
      .map((s) => `${relative(root, file)} imports ${s}`),
  );
}

/** Where a relative import points, from the repository's root ("main/app/menu"); other specifiers as they are. */
function target(specifier: string, file: string): string {
  return specifier.startsWith('.') ? relative(root, resolve(dirname(file), specifier)) : specifier;
}

const isNodeModule = (s: string) => s.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'url', 'http'].includes(s);

describe('architecture rules (DESIGN.md)', () => {
  it('only main/app imports electron', () => {
    const bad = ['main/engine', 'main/host', 'main/server', 'main/cli', 'shared', 'renderer'].flatMap((dir) =>
      violations(dir, (s) => s === 'electron' || s.startsWith('electron/')),
    );
    expect(bad).toEqual([]);
  });

  it('the engine imports neither React, the DOM, the UI nor the shells', () => {
    const bad = violations('main/engine', (s, file) => /^react(-dom)?($|\/)/.test(s) || /^(renderer|main\/(app|server|cli|host))(\/|$)/.test(target(s, file)));
    expect(bad).toEqual([]);
    const domUse = sourceFiles('main/engine').filter((f) => /\b(window|document)\./.test(readFileSync(f, 'utf8')));
    expect(domUse.map((f) => relative(root, f))).toEqual([]);
  });

  it('the renderer imports no Node modules and nothing from main/', () => {
    expect(violations('renderer', (s) => isNodeModule(s) || /(^|\/)main\//.test(s))).toEqual([]);
  });

  it('shared/ depends on neither side and on no Node module', () => {
    expect(violations('shared', (s) => isNodeModule(s) || /\.\.\/(main|renderer)\//.test(s))).toEqual([]);
  });

  it('shared/ has no `any`, and nothing silences the compiler without a reason', () => {
    const anyUse = sourceFiles('shared').filter((f) => /(:\s*any\b|<any>|\bas any\b|any\[\])/.test(readFileSync(f, 'utf8')));
    expect(anyUse.map((f) => relative(root, f))).toEqual([]);
    const silenced = ['main', 'shared', 'renderer', 'test']
      .flatMap(sourceFiles)
      .filter((f) => !f.endsWith('architecture.test.ts'))
      .filter((f) => /@ts-(ignore|nocheck)|@ts-expect-error\s*$/m.test(readFileSync(f, 'utf8')));
    expect(silenced.map((f) => relative(root, f))).toEqual([]);
  });
});
