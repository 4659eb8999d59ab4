import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINKS } from '../../../shared/external-links';

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|html|css)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Web addresses written in the code the user sees and clicks (the UI, the menu), outside
 * comments. Not links: browser mode's own loopback server, XML namespaces.
 */
function addressesIn(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .flatMap((line) => line.match(/https?:\/\/[^\s'"`<>)\\]+/g) ?? [])
    .filter((url) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url) && !url.startsWith('http://www.w3.org/'));
}

describe('EXTERNAL_LINKS (the only addresses the desktop app opens in the browser)', () => {
  it('lists every web address the UI and the menu name', () => {
    const files = ['renderer', 'main/app'].flatMap(sourceFiles);
    expect(files.some((file) => file.endsWith('.tsx'))).toBe(true);
    const named = files.flatMap((file) =>
      addressesIn(readFileSync(file, 'utf8')).map((url) => ({ file: relative(root, file), url })),
    );
    expect(named.filter(({ url }) => !EXTERNAL_LINKS.includes(url))).toEqual([]);
  });

  it('holds full https addresses, written as the URL parser writes them, without credentials', () => {
    for (const link of EXTERNAL_LINKS) {
      const parsed = new URL(link);
      expect(parsed.protocol, link).toBe('https:');
      expect(parsed.href, link).toBe(link);
      expect(parsed.username + parsed.password, link).toBe('');
    }
  });

  it('finds the addresses a link, a window.open or a string would name, and skips comments', () => {
    const text = [
      '// see https://example.com/in-a-comment',
      ' * https://example.com/in-a-doc-comment',
      '<a href="https://example.com/help">Help</a>',
      "window.open('https://docs.example.org/guide?lang=en');",
      'const base = `http://127.0.0.1:${port}/`;',
      '<svg xmlns="http://www.w3.org/2000/svg" />',
    ].join('\n');
    expect(addressesIn(text)).toEqual(['https://example.com/help', 'https://docs.example.org/guide?lang=en']);
  });
});
