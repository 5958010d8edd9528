/**
 * HTTP to one repository of an OCI distribution registry (fetch): every request carries the
 * current auth, answers a 401 by meeting its challenge once, and turns failures into errors that
 * name the host, the request and the registry's own error code, never the credentials.
 */
import { Unavailable, TrainyardError } from '../../../../shared/errors';
import type { Credential } from '../credentials';
import { RegistryAuth, causeOf } from './auth';
import type { OciRef } from './reference';

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses that are answers, not failures (others throw RegistryHttpError). */
  ok: number[];
}

/** A status the request did not expect, with the registry's error code when it sent one. */
export class RegistryHttpError extends TrainyardError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(status === 404 ? 'NotFound' : status >= 400 && status < 500 ? 'InvalidInput' : 'Unavailable', message);
  }
}

export class RegistryClient {
  readonly base: string;
  private readonly auth: RegistryAuth;
  private readonly plainHttp: boolean;
  private readonly signal: AbortSignal;

  constructor(
    readonly ref: OciRef,
    opts: { plainHttp: boolean; credential: Credential | null; signal: AbortSignal },
  ) {
    this.base = `${opts.plainHttp ? 'http' : 'https'}://${ref.registry}`;
    this.auth = new RegistryAuth(ref.registry, opts.credential, opts.signal);
    this.plainHttp = opts.plainHttp;
    this.signal = opts.signal;
  }

  /** `/v2/<repo>/...` for a path under the repository. */
  repoPath(rest: string): string {
    return `/v2/${this.ref.repository}/${rest}`;
  }

  /** A Location header (absolute or relative to the registry) as a URL. */
  resolve(location: string): string {
    return new URL(location, this.base).toString();
  }

  async request(method: string, pathOrUrl: string, opts: RequestOptions): Promise<Response> {
    const url = this.resolve(pathOrUrl);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...opts.headers };
      const auth = this.auth.current();
      if (auth) headers.Authorization = auth;
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body: opts.body as Uint8Array<ArrayBuffer> | undefined, signal: this.signal, redirect: 'follow' });
      } catch (err) {
        if (this.signal.aborted) throw err;
        const hint = this.plainHttp ? '' : '; if it serves plain HTTP, pass --plain-http';
        throw new Unavailable(`Cannot reach the registry ${this.ref.registry} (${causeOf(err)}${hint})`);
      }
      if (res.status === 401 && attempt < 3) {
        await res.body?.cancel();
        await this.auth.answer(res.headers.get('www-authenticate'), res.status);
        continue;
      }
      if (!opts.ok.includes(res.status)) throw await this.failure(method, url, res);
      return res;
    }
  }

  private async failure(method: string, url: string, res: Response): Promise<RegistryHttpError> {
    let detail = '';
    try {
      const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
      const e = body.errors?.[0];
      if (e) detail = `: ${e.code ?? ''}${e.message ? ` ${e.message}` : ''}`;
    } catch {
      // Not every failure has a JSON body (a proxy's 502, a HEAD); the status says enough then.
    }
    const path = new URL(url).pathname;
    return new RegistryHttpError(res.status, `The registry ${this.ref.registry} answered HTTP ${res.status} to ${method} ${path}${detail}`);
  }
}
