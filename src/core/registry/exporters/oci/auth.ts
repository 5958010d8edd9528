/**
 * Registry auth as docker and oras do it: try anonymously; on 401 read `WWW-Authenticate` and
 * either send Basic credentials or fetch a Bearer token from the realm it names (with Basic
 * credentials when there are some) and retry. The password never leaves this module's headers.
 */
import { InvalidInput, Unavailable } from '../../../../shared/errors';
import { ENV_PASSWORD, ENV_USERNAME, type Credential } from '../credentials';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="https://auth/token",service="reg",scope="repository:a/b:pull,push"` → its parts. */
export function parseChallenge(header: string): Challenge | null {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1].toLowerCase(), params };
}

/**
 * A challenge in one canonical form: parameters sorted, and each scope's actions sorted. The
 * registry writes `pull,push` or `push,pull` at random (a Go map's order), and a repeated challenge
 * must read as repeated whatever the order.
 */
export function canonicalChallenge(header: string | null): string {
  const c = header ? parseChallenge(header) : null;
  if (!c) return header ?? '';
  const scope = (v: string) =>
    v
      .split(' ')
      .filter(Boolean)
      .map((s) => {
        const i = s.lastIndexOf(':');
        return i < 0 ? s : `${s.slice(0, i)}:${s.slice(i + 1).split(',').sort().join(',')}`;
      })
      .sort()
      .join(' ');
  const params = Object.keys(c.params)
    .sort()
    .map((k) => `${k}=${k === 'scope' ? scope(c.params[k]) : c.params[k]}`);
  return [c.scheme, ...params].join(' ');
}

const basic = (c: Credential) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

export class RegistryAuth {
  private header: string | null = null;
  private lastChallenge = '';

  constructor(
    private readonly registry: string,
    private readonly credential: Credential | null,
    private readonly signal: AbortSignal,
  ) {}

  /** The Authorization header to send now; null while anonymous. */
  current(): string | null {
    return this.header;
  }

  private needCredentials(): never {
    throw new InvalidInput(
      `The registry ${this.registry} needs credentials: run \`trainyard models login ${this.registry} --username USER --password-stdin\` or set ${ENV_USERNAME} and ${ENV_PASSWORD}`,
    );
  }

  private refused(status: number): never {
    throw new InvalidInput(`The registry ${this.registry} refused the credentials of user ${JSON.stringify(this.credential?.username)} (HTTP ${status}); check the user name and password`);
  }

  /**
   * Called with a 401's `WWW-Authenticate`; sets the header to retry with. Throws when the same
   * challenge comes back after it was answered (the credentials were refused) or none can be met.
   * An expired token or a new scope comes back as a different challenge (`error="invalid_token"`,
   * another `scope`), so it gets a fresh token.
   */
  async answer(wwwAuthenticate: string | null, status: number): Promise<void> {
    const challenge = wwwAuthenticate ? parseChallenge(wwwAuthenticate) : null;
    const canonical = canonicalChallenge(wwwAuthenticate);
    const again = this.header !== null && canonical === this.lastChallenge;
    this.lastChallenge = canonical;
    if (again || (this.header?.startsWith('Basic ') && challenge?.scheme === 'basic')) {
      if (this.credential && challenge?.params.error === 'insufficient_scope') {
        throw new InvalidInput(`The registry ${this.registry} does not let user ${JSON.stringify(this.credential.username)} ${challenge.params.scope ?? 'do this'} (insufficient_scope)`);
      }
      if (this.credential) this.refused(status);
      this.needCredentials();
    }
    if (!challenge || challenge.scheme === 'basic') {
      if (!this.credential) this.needCredentials();
      this.header = basic(this.credential);
      return;
    }
    if (challenge.scheme !== 'bearer') throw new Unavailable(`The registry ${this.registry} asks for ${challenge.scheme} auth, which Trainyard does not speak (Basic and Bearer only)`);
    this.header = `Bearer ${await this.token(challenge.params)}`;
  }

  private async token(params: Record<string, string>): Promise<string> {
    const realm = params.realm;
    if (!realm) throw new Unavailable(`The registry ${this.registry} asked for a Bearer token but named no realm to get it from`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new Unavailable(`The registry ${this.registry} named a token realm that is not a URL: ${realm}`);
    }
    if (params.service) url.searchParams.set('service', params.service);
    for (const scope of (params.scope ?? '').split(' ').filter(Boolean)) url.searchParams.append('scope', scope);
    let res: Response;
    try {
      res = await fetch(url, { headers: this.credential ? { Authorization: basic(this.credential) } : {}, signal: this.signal });
    } catch (err) {
      if (this.signal.aborted) throw err;
      throw new Unavailable(`Cannot reach the token service ${url.host} of the registry ${this.registry} (${causeOf(err)})`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      if (this.credential) this.refused(res.status);
      this.needCredentials();
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Unavailable(`The token service ${url.host} of the registry ${this.registry} answered HTTP ${res.status}`);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new Unavailable(`The token service ${url.host} of the registry ${this.registry} answered without a token`);
    return token;
  }
}

/** The system's words for a failed connection (ECONNREFUSED, ENOTFOUND, a TLS error...), never a header. */
export function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
