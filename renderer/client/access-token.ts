const STORAGE_KEY = 'cplan.token';

/**
 * Browser mode: the server prints the address with `#token=...`. The token is kept in
 * sessionStorage (so a reload of this tab keeps working) and taken out of the visible
 * address, so it does not end up in screenshots, bookmarks or shared links.
 */
export function takeAccessToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    storage.setItem(STORAGE_KEY, token);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return token;
  }
  return storage.getItem(STORAGE_KEY);
}
