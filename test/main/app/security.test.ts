import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  applySessionSecurity,
  CONTENT_SECURITY_POLICY,
  hardenWebContents,
  isAllowedExternalUrl,
  isAllowedRequest,
  isAppUrl,
  isPermissionAllowed,
  isTrustedSender,
  navigationDecision,
  withCspHeader,
} from '../../../main/app/security';

const ORIGIN = 'cplan://app';

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources.join(' ')] as const;
    }),
  );

  it('allows only the app itself', () => {
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('img-src')).toBe("'self' data:");
  });

  it('shuts plugins, base tags, framing and forms', () => {
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
  });

  it('allows no inline script or style and no eval', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });
});

describe('isAppUrl', () => {
  it('matches the app scheme and host only', () => {
    expect(isAppUrl('cplan://app/index.html', ORIGIN)).toBe(true);
    expect(isAppUrl('cplan://app', ORIGIN)).toBe(true);
    expect(isAppUrl('CPLAN://APP/index.html', ORIGIN)).toBe(true);
    expect(isAppUrl('cplan://other/index.html', ORIGIN)).toBe(false);
    expect(isAppUrl('cplan://user:pw@app/index.html', ORIGIN)).toBe(false);
    expect(isAppUrl('https://app/index.html', ORIGIN)).toBe(false);
    expect(isAppUrl('file:///work/dist/renderer/index.html', ORIGIN)).toBe(false);
    expect(isAppUrl('not a url', ORIGIN)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts the app page in the main frame', () => {
    expect(isTrustedSender({ url: 'cplan://app/index.html', parent: null }, ORIGIN)).toBe(true);
    expect(isTrustedSender({ url: 'cplan://app/index.html#/campaigns', parent: null }, ORIGIN)).toBe(true);
  });

  it('refuses sub-frames, other origins and frames that are gone', () => {
    const main = { url: 'cplan://app/index.html', parent: null };
    expect(isTrustedSender({ url: 'cplan://app/index.html', parent: main }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd', parent: null }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: 'devtools://devtools/bundled/inspector.html', parent: null }, ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', parent: null }, ORIGIN)).toBe(false);
    expect(isTrustedSender(null, ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, ORIGIN)).toBe(false);
  });
});

/** A list standing in for shared/external-links.ts (which is empty while the app links nowhere). */
const LINKS = ['https://example.com/help', 'https://docs.example.org/guide?lang=en'];

describe('isAllowedExternalUrl', () => {
  it('allows the listed addresses exactly, as the URL parser writes them', () => {
    expect(isAllowedExternalUrl('https://example.com/help', LINKS)).toBe(true);
    expect(isAllowedExternalUrl('HTTPS://EXAMPLE.COM/help', LINKS)).toBe(true);
    expect(isAllowedExternalUrl('https://example.com:443/help', LINKS)).toBe(true);
    expect(isAllowedExternalUrl('https://docs.example.org/guide?lang=en', LINKS)).toBe(true);
  });

  it.each([
    ['a host that merely starts with a listed one', 'https://example.com.evil/help'],
    ['a host that merely ends with a listed one', 'https://evilexample.com/help'],
    ['a subdomain of a listed host', 'https://www.example.com/help'],
    ['the listed host as a user name', 'https://example.com@evil.example/help'],
    ['credentials before the listed host', 'https://user:secret@example.com/help'],
    ['a user name alone', 'https://user@example.com/help'],
    ['plain http of an https address', 'http://example.com/help'],
    ['another port', 'https://example.com:8443/help'],
    ['another path', 'https://example.com/help/../admin'],
    ['a longer path', 'https://example.com/help/more'],
    ['another query', 'https://docs.example.org/guide?lang=de'],
    ['an added fragment', 'https://example.com/help#top'],
    ['a javascript: address', 'javascript:alert(1)'],
    ['a javascript: address naming the listed one', 'javascript://example.com/help%0Aalert(1)'],
    ['a file: address', 'file:///etc/passwd'],
    ['a data: address', 'data:text/html,<script>alert(1)</script>'],
    ['an smb: share', 'smb://example.com/help'],
    ['a custom scheme', 'ms-settings:privacy'],
    ['not a URL', 'example.com/help'],
    ['an empty string', ''],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedExternalUrl(url, LINKS)).toBe(false);
  });

  it('refuses every address when the app links nowhere', () => {
    expect(isAllowedExternalUrl('https://example.com/help', [])).toBe(false);
  });
});

describe('navigationDecision', () => {
  it('keeps the app, hands the app’s own links to the browser, refuses the rest', () => {
    expect(navigationDecision('cplan://app/index.html', ORIGIN, LINKS)).toBe('allow');
    expect(navigationDecision('https://example.com/help', ORIGIN, LINKS)).toBe('open-external');
    expect(navigationDecision('https://example.com/other', ORIGIN, LINKS)).toBe('deny');
    expect(navigationDecision('http://example.com/', ORIGIN, LINKS)).toBe('deny');
    expect(navigationDecision('file:///etc/passwd', ORIGIN, LINKS)).toBe('deny');
    expect(navigationDecision('javascript:alert(1)', ORIGIN, LINKS)).toBe('deny');
    expect(navigationDecision('smb://server/share', ORIGIN, LINKS)).toBe('deny');
    expect(navigationDecision('cplan://elsewhere/', ORIGIN, LINKS)).toBe('deny');
  });
});

describe('isAllowedRequest', () => {
  it('lets the page load only from itself', () => {
    expect(isAllowedRequest('cplan://app/assets/index.js', ORIGIN, false)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', ORIGIN, false)).toBe(true);
    expect(isAllowedRequest('blob:cplan://app/1234', ORIGIN, false)).toBe(true);
    expect(isAllowedRequest('blob:https://evil.example/1234', ORIGIN, false)).toBe(false);
    expect(isAllowedRequest('https://fonts.example/font.woff2', ORIGIN, false)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', ORIGIN, false)).toBe(false);
  });

  it('lets DevTools load its own pages in development only', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', ORIGIN, true)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', ORIGIN, false)).toBe(false);
  });
});

describe('isPermissionAllowed', () => {
  it('grants only clipboard writing, and only to the app', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'cplan://app', ORIGIN)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example', ORIGIN)).toBe(false);
    for (const permission of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'hid']) {
      expect(isPermissionAllowed(permission, 'cplan://app/index.html', ORIGIN)).toBe(false);
    }
  });
});

describe('withCspHeader', () => {
  it('replaces any CSP the response carried, whatever its case', () => {
    const headers = withCspHeader({
      'content-security-policy': ["default-src *"],
      'Content-Type': 'text/html',
      'X-Other': ['a', 'b'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'X-Other': ['a', 'b'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

type Handler = (...args: never[]) => unknown;

/** A session that records the handlers it is given, so the test can call them. */
function fakeSession() {
  const handlers: Record<string, Handler> = {};
  const record = (name: string) => (handler: Handler) => {
    handlers[name] = handler;
  };
  const session = {
    webRequest: { onHeadersReceived: record('headers'), onBeforeRequest: record('request') },
    setPermissionRequestHandler: record('permissionRequest'),
    setPermissionCheckHandler: record('permissionCheck'),
    setDevicePermissionHandler: record('device'),
  };
  return { session: session as unknown as Session, handlers };
}

function call<T>(handler: Handler | undefined, ...args: unknown[]): T {
  if (!handler) throw new Error('handler not registered');
  return (handler as (...a: unknown[]) => T)(...args);
}

describe('applySessionSecurity', () => {
  it('adds the CSP, cancels foreign requests, and denies permissions and devices', () => {
    const { session, handlers } = fakeSession();
    const logged: string[] = [];
    applySessionSecurity(session, { appOrigin: ORIGIN, allowDevTools: false, log: (line) => logged.push(line) });

    let headers: unknown;
    call(handlers.headers, { responseHeaders: { 'Content-Type': ['text/html'] } }, (r: { responseHeaders: unknown }) => {
      headers = r.responseHeaders;
    });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });

    const decisions: boolean[] = [];
    for (const url of ['cplan://app/index.html', 'https://tracker.example/pixel.gif']) {
      call(handlers.request, { url }, (r: { cancel: boolean }) => decisions.push(r.cancel));
    }
    expect(decisions).toEqual([false, true]);
    expect(logged).toEqual(['security: blocked a request to https://tracker.example/pixel.gif']);

    const granted: boolean[] = [];
    call(handlers.permissionRequest, {}, 'media', (g: boolean) => granted.push(g), { requestingUrl: 'cplan://app/index.html' });
    call(handlers.permissionRequest, {}, 'clipboard-sanitized-write', (g: boolean) => granted.push(g), {
      requestingUrl: 'cplan://app/index.html',
    });
    expect(granted).toEqual([false, true]);
    expect(call(handlers.permissionCheck, {}, 'geolocation', 'cplan://app')).toBe(false);
    expect(call(handlers.device, {})).toBe(false);
  });
});

/** A WebContents with real events; `preventDefault` is recorded per event. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      openHandler = handler;
    },
  });
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    emitter.emit(name, { url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window open handler');
    return openHandler({ url });
  };
  return { contents: contents as unknown as WebContents, fire, open };
}

describe('hardenWebContents', () => {
  function setup(externalLinks: readonly string[] = LINKS) {
    const opened: string[] = [];
    const logged: string[] = [];
    const fake = fakeContents();
    hardenWebContents(fake.contents, {
      appOrigin: ORIGIN,
      externalLinks,
      openExternal: async (url) => {
        opened.push(url);
      },
      log: (line) => logged.push(line),
    });
    return { ...fake, opened, logged };
  }

  it('lets the page move within the app', () => {
    const { fire, opened } = setup();
    expect(fire('will-navigate', 'cplan://app/index.html')).toBe(false);
    expect(fire('will-redirect', 'cplan://app/index.html')).toBe(false);
    expect(opened).toEqual([]);
  });

  it('stops navigation away, opening only the app’s own links in the browser', () => {
    const { fire, opened, logged } = setup();
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(fire('will-navigate', 'https://example.com.evil/help')).toBe(true);
    expect(fire('will-navigate', 'https://user:pw@example.com/help')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(fire('will-redirect', 'https://example.com/help')).toBe(true);
    expect(opened).toEqual(['https://example.com/help']);
    expect(logged).toContain('security: blocked navigation to https://example.com.evil/help');
  });

  it('opens no new windows at all, and only the app’s own links in the browser', () => {
    const { open, opened } = setup();
    expect(open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/help')).toEqual({ action: 'deny' });
    expect(open('cplan://app/index.html')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('opens nothing when the app links nowhere', () => {
    const { fire, open, opened } = setup([]);
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(opened).toEqual([]);
  });

  it('refuses <webview>', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview')).toBe(true);
  });
});
