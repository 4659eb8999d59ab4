import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  resolveAppPath,
} from '../../../main/app/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security';
import { tempDir } from '../../helpers/temp-dir';

const ROOT = resolve('/srv/cplan/dist/renderer');

function refused(url: string): number {
  const result = resolveAppPath(url, ROOT);
  if (result.ok) throw new Error(`${url} was resolved to ${result.filePath}`);
  return result.status;
}

describe('resolveAppPath', () => {
  it('serves index.html for the root and files below the renderer folder', () => {
    expect(resolveAppPath('cplan://app/', ROOT)).toEqual({
      ok: true,
      filePath: join(ROOT, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppPath('cplan://app', ROOT)).toMatchObject({ ok: true, filePath: join(ROOT, 'index.html') });
    expect(resolveAppPath(APP_ENTRY_URL, ROOT)).toMatchObject({ ok: true, filePath: join(ROOT, 'index.html') });
    expect(resolveAppPath('cplan://app/assets/index-abc.js?v=1#top', ROOT)).toEqual({
      ok: true,
      filePath: join(ROOT, 'assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('gives each kind of file its content type', () => {
    const typeOf = (url: string) => {
      const result = resolveAppPath(url, ROOT);
      return result.ok ? result.contentType : null;
    };
    expect(typeOf('cplan://app/assets/app.css')).toBe('text/css; charset=utf-8');
    expect(typeOf('cplan://app/assets/logo.SVG')).toBe('image/svg+xml');
    expect(typeOf('cplan://app/assets/font.woff2')).toBe('font/woff2');
    expect(typeOf('cplan://app/assets/index.js.map')).toBe('application/json; charset=utf-8');
    expect(typeOf('cplan://app/sql-wasm.wasm')).toBe('application/wasm');
  });

  it('decodes percent-encoded names', () => {
    expect(resolveAppPath('cplan://app/assets/my%20file.png', ROOT)).toMatchObject({
      ok: true,
      filePath: join(ROOT, 'assets', 'my file.png'),
    });
  });

  it('refuses path traversal in every spelling', () => {
    expect(refused('cplan://app/../../etc/passwd.txt')).toBe(403);
    expect(refused('cplan://app/assets/../../secret.js')).toBe(403);
    expect(refused('cplan://app/%2e%2e/%2e%2e/etc/passwd.txt')).toBe(403);
    expect(refused('cplan://app/%2E%2E/secret.js')).toBe(403);
    expect(refused('cplan://app/.%2e/secret.js')).toBe(403);
    expect(refused('cplan://app/..%2f..%2fetc%2fpasswd.txt')).toBe(403);
    expect(refused('cplan://app/assets%2f..%2f..%2fsecret.js')).toBe(403);
    expect(refused('cplan://app/..\\..\\windows\\win.ini')).toBe(403);
    expect(refused('cplan://app/..%5c..%5cwindows%5cwin.ini')).toBe(403);
    expect(refused('cplan://app/./index.html')).toBe(403);
  });

  it('refuses absolute paths and drive letters smuggled into a segment', () => {
    expect(refused('cplan://app/%2fetc%2fpasswd.txt')).toBe(403);
    expect(refused('cplan://app/C:%5cWindows%5cwin.ini')).toBe(403);
    expect(refused('cplan://app/c:/secret.js')).toBe(403);
    expect(refused('cplan://app/index.html%00.js')).toBe(403);
  });

  it('refuses other hosts, other schemes and credentials', () => {
    expect(refused('cplan://evil/index.html')).toBe(403);
    expect(refused('cplan://user:pw@app/index.html')).toBe(403);
    expect(refused('cplan://app:8080/index.html')).toBe(403);
    expect(refused('file:///srv/cplan/dist/renderer/index.html')).toBe(400);
    expect(refused('https://app/index.html')).toBe(400);
    expect(refused('not a url')).toBe(400);
  });

  it('refuses unknown file types, folders, hidden files and bad encodings', () => {
    expect(refused('cplan://app/package.json.bak')).toBe(404);
    expect(refused('cplan://app/assets/')).toBe(404);
    expect(refused('cplan://app/assets')).toBe(404);
    expect(refused('cplan://app/.env')).toBe(404);
    expect(refused('cplan://app/assets/.secret.js')).toBe(404);
    expect(refused('cplan://app/%E0%A4%A.js')).toBe(400);
  });
});

describe('APP_SCHEME_PRIVILEGES', () => {
  it('makes the scheme standard and secure, without bypassing CSP or opening CORS', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('cplan');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeUndefined();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeUndefined();
  });
});

describe('createAppProtocolHandler', () => {
  function site() {
    const root = tempDir();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Campaign Planner</title>');
    writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'outside.js'), 'secret');
    return createAppProtocolHandler(root);
  }

  it('serves files with their type, the CSP and nosniff', async () => {
    const handle = site();
    const page = await handle(new Request('cplan://app/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Campaign Planner</title>');
    const script = await handle(new Request('cplan://app/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers 404 for a missing file and never serves a file outside the folder', async () => {
    const handle = site();
    expect((await handle(new Request('cplan://app/assets/missing.js'))).status).toBe(404);
    // Request (like Chromium) folds %2e%2e away before the handler sees the URL.
    const escaped = await handle(new Request('cplan://app/%2e%2e/outside.js'));
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('secret');
    const refused = await handle(new Request('cplan://evil/index.html'));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.skipIf(process.platform === 'win32')('never follows a link out of the folder, but follows one that stays inside', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'renderer', 'assets'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'renderer', 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(root, 'outside', 'secret.js'), 'secret');
    symlinkSync(join(root, 'outside', 'secret.js'), join(root, 'renderer', 'secret.js'));
    symlinkSync(join(root, 'outside'), join(root, 'renderer', 'assets', 'linked'));
    symlinkSync('/etc/passwd', join(root, 'renderer', 'passwd.txt'));
    symlinkSync('assets/index.js', join(root, 'renderer', 'inside.js'));
    const handle = createAppProtocolHandler(join(root, 'renderer'));
    for (const url of ['cplan://app/secret.js', 'cplan://app/assets/linked/secret.js', 'cplan://app/passwd.txt']) {
      const reply = await handle(new Request(url));
      expect(reply.status, url).toBe(404);
      const text = await reply.text();
      expect(text, url).not.toContain('secret');
      expect(text, url).not.toContain('root:');
    }
    const inside = await handle(new Request('cplan://app/inside.js'));
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('console.log(1)');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const handle = site();
    const head = await handle(new Request('cplan://app/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await handle(new Request('cplan://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('answers 500, not a crash, when the file cannot be read', async () => {
    const handle = createAppProtocolHandler('/srv/app', async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    });
    expect((await handle(new Request('cplan://app/index.html'))).status).toBe(500);
  });
});
