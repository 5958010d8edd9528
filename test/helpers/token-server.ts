/**
 * A Bearer token service for the real registry's `auth.token` mode, as Harbor, GHCR or a Docker
 * auth server would run it: GET /token?service=...&scope=... with Basic credentials answers a JWT
 * (ES256, signed with a key whose self-signed certificate the registry trusts, sent in `x5c`)
 * granting the asked actions. The key and certificate come from openssl.
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenAuth } from './oci-registry';

export const OPENSSL_BIN = '/usr/bin/openssl';
export const opensslMissing: string | null = existsSync(OPENSSL_BIN) ? null : `${OPENSSL_BIN} is missing; the Bearer token test is skipped`;

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface TokenServer {
  auth: TokenAuth;
  /** Every token request's query (scope, service) and whether its credentials were good. */
  requests: { scope: string[]; service: string | null; user: string | null; granted: boolean }[];
  close(): Promise<void>;
}

/** `readers` may only pull: their tokens grant `pull` whatever else they ask. */
export async function startTokenServer(users: Record<string, string>, readers: string[] = []): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-token-'));
  const r = spawnSync(OPENSSL_BIN, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=trainyard-token', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  const key = createPrivateKey(readFileSync(join(dir, 'key.pem')));
  const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const der = new X509Certificate(certPem).raw;
  rmSync(dir, { recursive: true, force: true });
  const issuer = 'trainyard-test-issuer';
  const service = 'trainyard-test-registry';
  const requests: TokenServer['requests'] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.getAll('scope');
    const header = req.headers.authorization ?? '';
    const [user, pass] = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString().split(':') : [null, null];
    const granted = user !== null && users[user] === pass;
    requests.push({ scope, service: url.searchParams.get('service'), user, granted });
    if (!granted) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
    }
    const access = scope.map((s) => {
      const [type, name, actions] = s.split(':');
      const asked = actions.split(',');
      return { type, name, actions: readers.includes(user!) ? asked.filter((a) => a === 'pull') : asked };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: user, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }));
    const signature = sign('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token: `${head}.${claims}.${b64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    auth: { realm: `http://127.0.0.1:${port}/token`, service, issuer, certPem },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
