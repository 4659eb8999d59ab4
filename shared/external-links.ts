/**
 * Every web address the app itself links to, each written out in full. The desktop app
 * opens exactly these in the user's browser and refuses every other address a page might
 * try to open (main/app/security.ts). A link in the UI takes its address from here; a test
 * (test/main/app/external-links.test.ts) fails when the UI names an address that is not.
 *
 * The app links to no web page today, so nothing opens: the list is empty, not missing.
 */
export const EXTERNAL_LINKS: readonly string[] = [];
