/**
 * A command line as a person types it, made an argv the way a POSIX shell splits words: spaces
 * separate, '...' keeps everything literally, "..." keeps spaces (and \" \\ inside), a backslash
 * escapes the next character. No expansion: `$HOME` and `*` reach the program as typed.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`The command line has an unclosed ${quote === "'" ? 'single' : 'double'} quote`);
  if (inWord) words.push(word);
  return words;
}

/** `KEY=value` lines (blank lines and `#` comments skipped) as a record; `what` names the field in errors. */
export function parseAssignments(text: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${what}, line ${n + 1}: expected NAME=value, got ${JSON.stringify(line)}`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** A param as typed: numbers stay numbers, true/false become booleans, the rest stay text. */
export function paramValue(raw: string): string | number | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
}
