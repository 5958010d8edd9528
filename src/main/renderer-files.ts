/**
 * Serving the built renderer through the `app://trainyard/` protocol: which file a URL names,
 * confined to the renderer's folder, and the headers every response carries.
 * Plain Node, no electron, so it is tested without a window.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { mimeType } from '../shared/mime';

export const APP_SCHEME = 'app';
export const APP_HOST = 'trainyard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL is one of our own pages. Compared by scheme and host: Node's URL (the main process)
 * does not know `app:` is a standard scheme and reports its origin as "null".
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/**
 * The desktop window's policy: only our own files, no inline scripts, no eval, no remote content,
 * no plugins, not framable. Inline styles stay allowed for the chart and table libraries.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export { mimeType };

/** True when `child` is `root` itself or lies below it (both absolute and normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * The file under `root` that a URL path names, or null when it names nothing there: undecodable,
 * a NUL byte, a backslash, `..` that climbs out, a symlink that leads out, or no such file.
 * A path that ends in `/` names its `index.html`. A path without an extension that names no file
 * gets `index.html` (a client-side route).
 */
export async function resolveRendererFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  let rel = decoded.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';

  const rootAbs = path.resolve(root);
  const candidate = path.resolve(rootAbs, rel);
  if (!isInside(rootAbs, candidate)) return null;

  const found = await existingFileInside(rootAbs, candidate);
  if (found) return found;
  if (path.extname(candidate) === '') return existingFileInside(rootAbs, path.join(rootAbs, 'index.html'));
  return null;
}

async function existingFileInside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!isInside(realRoot, realFile)) return null;
    return (await stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}

const BASE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Answers one request to the app protocol from the files under `root`. */
export async function serveRendererRequest(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return plain(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found');
  const file = await resolveRendererFile(root, url.pathname);
  if (!file) return plain(404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return plain(404, 'Not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...BASE_HEADERS, 'Content-Type': mimeType(file), 'Content-Length': String(body.byteLength) },
  });
}
