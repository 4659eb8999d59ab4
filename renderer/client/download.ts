/**
 * Saves text through the page's own download: a Blob behind a link with `download`. It
 * works the same in a browser tab and in Electron (which shows its Save dialog), and needs
 * no engine call: the text is already here.
 */
export function downloadTextFile(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; a moment later is safe everywhere.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
