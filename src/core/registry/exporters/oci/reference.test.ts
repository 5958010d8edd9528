import { describe, expect, it } from 'vitest';
import { canonicalChallenge, parseChallenge } from './auth';
import { formatOciRef, parseOciRef } from './reference';

describe('registry references', () => {
  it('reads host, port, nested repository and tag or digest', () => {
    expect(parseOciRef('127.0.0.1:5000/team/co2:v1')).toEqual({ registry: '127.0.0.1:5000', repository: 'team/co2', reference: 'v1' });
    expect(parseOciRef('Registry.Example.com/models/co2')).toEqual({ registry: 'registry.example.com', repository: 'models/co2', reference: 'latest' });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(formatOciRef(parseOciRef(`localhost:5000/co2@${digest}`))).toBe(`localhost:5000/co2@${digest}`);
  });

  it('refuses references with no host, an uppercase repository or a bad tag, saying which part', () => {
    expect(() => parseOciRef('co2:v1')).toThrow(/it names no host/);
    expect(() => parseOciRef('host:5000/Team/co2:v1')).toThrow(/the repository "Team\/co2" must be lowercase/);
    expect(() => parseOciRef('host:5000/co2:-bad')).toThrow(/the tag "-bad"/);
    expect(() => parseOciRef('host:5000/co2@sha256:xyz')).toThrow(/is not a sha256 digest/);
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads Bearer parameters, commas inside quotes included', () => {
    expect(parseChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/co2:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:team/co2:pull,push' },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  it('reads a challenge repeated with its scope actions in another order as the same challenge', () => {
    // distribution writes a scope's actions in a Go map's order: pull,push one time, push,pull the next.
    const a = 'Bearer realm="https://auth/token",service="reg",scope="repository:team/co2:pull,push",error="insufficient_scope"';
    const b = 'Bearer error="insufficient_scope",realm="https://auth/token",service="reg",scope="repository:team/co2:push,pull"';
    expect(canonicalChallenge(a)).toBe(canonicalChallenge(b));
    expect(canonicalChallenge(a)).not.toBe(canonicalChallenge(a.replace(',error="insufficient_scope"', '')));
    expect(canonicalChallenge(a)).not.toBe(canonicalChallenge(a.replace('pull,push', 'pull')));
  });
});
