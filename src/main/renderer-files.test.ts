import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl, resolveRendererFile, serveRendererRequest } from './renderer-files';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'trainyard-renderer-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Trainyard</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(base, 'secret.txt'), 'not for the page');
  try {
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  } catch {
    // No symlinks here (Windows without the privilege): that case is then not tested.
  }
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('renderer files behind app://trainyard/', () => {
  it('serves files under the renderer folder, index.html for / and for client routes', async () => {
    expect(await resolveRendererFile(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(await resolveRendererFile(root, '/')).toBe(path.join(root, 'index.html'));
    expect(await resolveRendererFile(root, '/runs')).toBe(path.join(root, 'index.html'));
    expect(await resolveRendererFile(root, '/assets/missing.js')).toBeNull();
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/assets/link.txt',
  ])('refuses %s', async (p) => {
    expect(await resolveRendererFile(root, p)).toBeNull();
  });

  it('answers with the strict CSP and the right type, and refuses other hosts and methods', async () => {
    const ok = await serveRendererRequest(root, new Request('app://trainyard/assets/app.js'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('console.log(1)');

    const escape = await serveRendererRequest(root, new Request('app://trainyard/..%2fsecret.txt'));
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('not for the page');

    expect((await serveRendererRequest(root, new Request('app://elsewhere/index.html'))).status).toBe(404);
    expect((await serveRendererRequest(root, new Request('app://trainyard/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('keeps scripts to our own files', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('knows our own pages from everything else', () => {
    expect(isAppUrl('app://trainyard/index.html')).toBe(true);
    expect(isAppUrl('app://trainyard/runs/01H?x=1#y')).toBe(true);
    for (const url of ['app://other/index.html', 'app://trainyard.evil/', 'app://u@trainyard/', 'https://trainyard/', 'file:///index.html', 'about:blank', 'not a url']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
