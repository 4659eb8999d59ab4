import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/**
 * The page's Content-Security-Policy, shared with browser mode (shared/csp.ts): only the
 * app's own origin, no plugins, frames, forms or base tags. style-src has no
 * 'unsafe-inline': React's `style={...}` props go through the CSSOM (element.style),
 * which CSP does not govern, and Vite emits the CSS as a linked file.
 */
export { CONTENT_SECURITY_POLICY };

/** The one permission the page gets: writing (never reading) the clipboard, for Copy buttons. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/**
 * True when `url` is on the app's own origin (`cplan://app`). Compared by scheme and host,
 * not by `URL.origin`: WHATWG URL gives custom schemes the opaque origin "null".
 */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const actual = parseUrl(url);
  const expected = parseUrl(appOrigin);
  if (!actual || !expected) return false;
  return (
    actual.protocol === expected.protocol &&
    // Lower-cased here: WHATWG URL keeps the case of a custom scheme's host, while
    // Chromium lower-cases hosts of standard schemes.
    actual.host.toLowerCase() === expected.host.toLowerCase() &&
    actual.username === '' &&
    actual.password === ''
  );
}

/** The part of Electron's WebFrameMain this check reads. */
export interface SenderFrame {
  readonly url: string;
  /** Null for a main (top-level) frame. */
  readonly parent: unknown;
}

/**
 * IPC is answered only for the app's own page in the window's main frame: never for an
 * iframe (there should be none) or for a page the window was somehow navigated to. The
 * frame is null when it navigated or was destroyed after sending.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, appOrigin: string): boolean {
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, appOrigin);
}

/**
 * True when `url` is one of `allowed` (the app's own links, shared/external-links.ts),
 * exactly: the same https or http address after the URL parser's normalisation (case of
 * the scheme and host, default port), with no user name or password. A look-alike host
 * (`https://example.com.evil`), another path or query, another scheme (`javascript:`,
 * `file:`, `smb:`) or an address with credentials is refused.
 */
export function isAllowedExternalUrl(url: string, allowed: readonly string[]): boolean {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return allowed.some((entry) => parseUrl(entry)?.href === parsed.href);
}

export type NavigationDecision = 'allow' | 'deny' | 'open-external';

/**
 * What to do when the page tries to go to `url` (link click, location change, redirect,
 * window.open): stay inside the app, hand the app's own external links to the browser,
 * refuse the rest.
 */
export function navigationDecision(url: string, appOrigin: string, externalLinks: readonly string[]): NavigationDecision {
  if (isAppUrl(url, appOrigin)) return 'allow';
  return isAllowedExternalUrl(url, externalLinks) ? 'open-external' : 'deny';
}

/**
 * Which requests the renderer may make at all. The page has no business with the
 * network; DevTools (development only) loads from its own schemes.
 */
export function isAllowedRequest(url: string, appOrigin: string, allowDevTools: boolean): boolean {
  if (isAppUrl(url, appOrigin)) return true;
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol === 'data:') return true;
  // blob: URLs the page made itself carry the app origin after the scheme.
  if (parsed.protocol === 'blob:') return isAppUrl(url.slice('blob:'.length), appOrigin);
  return allowDevTools && (parsed.protocol === 'devtools:' || parsed.protocol === 'chrome-extension:');
}

export function isPermissionAllowed(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl, appOrigin);
}

/**
 * Response headers with our CSP replacing any the response carried (header names are
 * case-insensitive, so a stray lowercase copy must go too).
 */
export function withCspHeader(
  headers: Readonly<Record<string, string | string[]>> | undefined,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? [...value] : [value];
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

export interface SessionSecurityOptions {
  readonly appOrigin: string;
  /** Development builds may open DevTools. */
  readonly allowDevTools: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Locks down the window's session: CSP on every response, requests off the app origin
 * cancelled, every permission and device request denied (but the clipboard write above).
 */
export function applySessionSecurity(session: Session, options: SessionSecurityOptions): void {
  const { appOrigin, allowDevTools } = options;
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, appOrigin, allowDevTools);
    if (!allowed) options.log?.(`security: blocked a request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}

export interface WebContentsSecurityOptions {
  readonly appOrigin: string;
  /** The only addresses opened in the browser (shared/external-links.ts). */
  readonly externalLinks: readonly string[];
  /** shell.openExternal; only ever called with an address of `externalLinks`. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly log?: (line: string) => void;
}

/**
 * Guards one WebContents: no navigation off the app, no new windows, no <webview>; the
 * app's own external links open in the browser. Applied from `web-contents-created`, so
 * it covers every contents Electron ever makes.
 */
export function hardenWebContents(contents: WebContents, options: WebContentsSecurityOptions): void {
  const { appOrigin, externalLinks, openExternal, log } = options;
  const decide = (url: string) => navigationDecision(url, appOrigin, externalLinks);
  const follow = (url: string): void => {
    if (decide(url) === 'open-external') {
      openExternal(url).catch((error: unknown) => log?.(`could not open ${url}: ${String(error)}`));
    } else {
      log?.(`security: blocked navigation to ${url}`);
    }
  };
  contents.on('will-navigate', (event) => {
    if (decide(event.url) === 'allow') return;
    event.preventDefault();
    follow(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (decide(event.url) === 'allow') return;
    event.preventDefault();
    log?.(`security: blocked a redirect to ${event.url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    follow(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log?.('security: blocked a <webview>');
  });
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
