/**
 * Saves text through the page's own download: a Blob behind a link with `download`. It
 * works the same in a browser tab and in Electron (which shows its Save dialog), and needs
 * no engine call: the text is already here.
 */
export function downloadTextFile(fileName: string, text: string, mimeType: string): void {
  downloadBlobFile(fileName, new Blob([text], { type: mimeType }));
}

/** The same for bytes already in a Blob (a chart drawn as PNG). */
export function downloadBlobFile(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
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
