import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../../test/helpers/tmp';
import { CredentialsFile, credentialFor, registryKey } from './credentials';

const temp = tempDirPerTest();

describe('the credentials file', () => {
  it('is created with mode 0600, keyed by host, and the environment wins over it', () => {
    const store = new CredentialsFile(temp());
    store.set('https://Reg.example.com:5000/', { username: 'u', password: 'p' });
    expect(statSync(store.where).mode & 0o777).toBe(0o600);
    expect(store.get('reg.example.com:5000')).toEqual({ username: 'u', password: 'p' });
    expect(credentialFor(store, 'reg.example.com:5000', { TRAINYARD_REGISTRY_USERNAME: 'e', TRAINYARD_REGISTRY_PASSWORD: 'q' })).toEqual({ username: 'e', password: 'q' });
    expect(credentialFor(store, 'other:1', {})).toBeNull();
    expect(store.remove('reg.example.com:5000')).toBe(true);
    expect(store.get('reg.example.com:5000')).toBeNull();
    expect(registryKey('http://h:1/x')).toBe('h:1');
  });

  it('refuses a file that is not its own, naming it', () => {
    const dir = temp();
    writeFileSync(join(dir, 'credentials.json'), 'nope', { mode: 0o600 });
    expect(() => new CredentialsFile(dir).get('h')).toThrow(`The credentials file ${join(dir, 'credentials.json')} is not valid JSON`);
  });
});
