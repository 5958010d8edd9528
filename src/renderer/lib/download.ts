/** Hands an exported file (runs, a study's trials, predictions, an artifact) to the browser as a download. */
export function downloadFile(file: { filename: string; mime: string } & ({ text: string } | { bytes: Uint8Array<ArrayBuffer> })): void {
  const url = URL.createObjectURL(new Blob(['text' in file ? file.text : file.bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked once the download has surely started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
