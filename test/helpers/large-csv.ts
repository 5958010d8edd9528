/** A large generated CSV for the import tests and the import-lag benchmark. */
import { createWriteStream } from 'node:fs';

/** An hourly series of about `mb` megabytes, written in chunks so the test itself stays small in memory. */
export async function largeCsv(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('time,load,temperature,label\n');
  let bytes = 0;
  let row = 0;
  const t0 = Date.UTC(2000, 0, 1);
  while (bytes < mb * 2 ** 20) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++, row++) {
      lines.push(`${new Date(t0 + row * 3_600_000).toISOString()},${(100 + Math.sin(row / 24) * 10).toFixed(4)},${(row % 37) / 3},${row % 97 === 0 ? 1 : 0}`);
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return row;
}
