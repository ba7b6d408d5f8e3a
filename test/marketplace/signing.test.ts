import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MarketError, type MarketErrorCode } from '../../marketplace/errors.js';
import { parseIndex } from '../../marketplace/index-format.js';
import { generateKeyPair, keyIdOf, publicKeyOf, signBytes, verifyIndexSignature } from '../../marketplace/signing.js';

const INDEX = Buffer.from(`${JSON.stringify({ format: 'langbot-registry/1', name: 'Test', generatedAt: '2026-11-24T10:00:00.000Z', extensions: [] }, null, 2)}\n`);

function failure(run: () => unknown): MarketError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MarketError);
    return error as MarketError;
  }
  throw new Error('expected a MarketError');
}

describe('keys', () => {
  it('makes ed25519 key pairs: ed25519:<base64 of 32 bytes>, a PKCS#8 PEM, and a key id of 16 hex', () => {
    const { publicKey, privateKeyPem } = generateKeyPair();
    expect(publicKey).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=$/);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const raw = Buffer.from(publicKey.slice('ed25519:'.length), 'base64');
    expect(raw).toHaveLength(32);
    expect(keyIdOf(publicKey)).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(publicKeyOf(privateKeyPem)).toBe(publicKey);
  });

  it('refuses a string that is not a public key', () => {
    for (const bad of ['', 'ed25519:', 'rsa:AAAA', `ed25519:${Buffer.alloc(31).toString('base64')}`]) {
      expect(failure(() => keyIdOf(bad)).message).toContain('is not a public key');
    }
  });
});

describe('index signatures', () => {
  const { publicKey, privateKeyPem } = generateKeyPair();

  it('verifies the exact bytes it signed with a trusted key, from the object or the .sig file text', () => {
    const sig = signBytes(INDEX, privateKeyPem);
    expect(sig).toMatchObject({ algorithm: 'ed25519', keyId: keyIdOf(publicKey) });
    expect(Buffer.from(sig.signature, 'base64')).toHaveLength(64);
    const other = generateKeyPair().publicKey;
    expect(verifyIndexSignature(INDEX, sig, [other, publicKey])).toEqual({ publicKey, keyId: keyIdOf(publicKey) });
    expect(verifyIndexSignature(INDEX, JSON.stringify(sig), [publicKey]).keyId).toBe(sig.keyId);
    expect(verifyIndexSignature(INDEX, Buffer.from(JSON.stringify(sig)), [publicKey]).keyId).toBe(sig.keyId);
  });

  it('one changed byte of the index: bad_signature', () => {
    const sig = signBytes(INDEX, privateKeyPem);
    const changed = Buffer.from(INDEX);
    changed[changed.indexOf('Test')] = 'B'.charCodeAt(0);
    const error = failure(() => verifyIndexSignature(changed, sig, [publicKey]));
    expect(error.code).toBe('bad_signature');
    expect(error.message).toContain('does not verify');
  });

  it('a key that is not trusted: untrusted_key naming the key id', () => {
    const stranger = generateKeyPair();
    const sig = signBytes(INDEX, stranger.privateKeyPem);
    const error = failure(() => verifyIndexSignature(INDEX, sig, [publicKey]));
    expect(error.code).toBe('untrusted_key');
    expect(error.message).toContain(keyIdOf(stranger.publicKey));
    expect(failure(() => verifyIndexSignature(INDEX, sig, [])).code).toBe('untrusted_key');
  });

  it('a signature made by another key but labelled with the trusted key id: bad_signature', () => {
    const forged = { ...signBytes(INDEX, generateKeyPair().privateKeyPem), keyId: keyIdOf(publicKey) };
    expect(failure(() => verifyIndexSignature(INDEX, forged, [publicKey])).code).toBe('bad_signature');
  });

  it.each<[string, unknown]>([
    ['not JSON', '{"algorithm":'],
    ['null', null],
    ['an array', []],
    ['another algorithm', { algorithm: 'rsa', keyId: '0123456789abcdef', signature: 'AA==' }],
    ['a short key id', { algorithm: 'ed25519', keyId: '0123', signature: Buffer.alloc(64).toString('base64') }],
    ['a signature that is not base64', { algorithm: 'ed25519', keyId: '0123456789abcdef', signature: '!'.repeat(88) }],
    ['a signature of the wrong length', { algorithm: 'ed25519', keyId: '0123456789abcdef', signature: Buffer.alloc(32).toString('base64') }],
  ])('a malformed signature (%s): bad_signature', (_, sig) => {
    const error = failure(() => verifyIndexSignature(INDEX, sig, [publicKey]));
    expect(error.code satisfies MarketErrorCode).toBe('bad_signature');
    expect(error.message).toContain('malformed');
  });
});

describe('parseIndex', () => {
  const version = {
    version: '1.0.0',
    engines: { langbot: '^0.1.0' },
    isolation: 'process',
    permissions: { services: ['tools'], network: true },
    contributes: { tools: ['weather'] },
    package: { path: 'packages/acme.weather-1.0.0.tgz', sha256: 'a'.repeat(64), size: 10 },
    readme: null,
    publishedAt: '2026-11-24T10:00:00.000Z',
  };
  const entry = {
    id: 'acme.weather',
    displayName: { en_US: 'Weather', zh_Hans: '天气' },
    description: { en_US: 'Weather' },
    author: 'acme',
    license: 'MIT',
    repository: null,
    icon: null,
    categories: ['utility'],
    keywords: [],
    kinds: ['tools'],
    latest: '1.0.0',
    versions: [version],
  };
  const index = (extensions: unknown[], format = 'langbot-registry/1') =>
    JSON.stringify({ format, name: 'Test', generatedAt: '2026-11-24T10:00:00.000Z', extensions });

  it('reads a valid index', () => {
    expect(parseIndex(Buffer.from(index([entry]))).extensions[0]).toEqual(entry);
  });

  it.each<[string, string, string]>([
    ['not JSON', '{', 'not valid JSON'],
    ['an unknown format', index([], 'langbot-registry/2'), 'has format "langbot-registry/2"'],
    ['a bad sha256', index([{ ...entry, versions: [{ ...version, package: { ...version.package, sha256: 'xyz' } }] }]), '/extensions/0/versions/0/package/sha256'],
    ['an unknown permission', index([{ ...entry, versions: [{ ...version, permissions: { root: true } }] }]), '/extensions/0/versions/0/permissions/root'],
    ['a package outside packages/', index([{ ...entry, versions: [{ ...version, package: { ...version.package, path: '../registry.key' } }] }]), '/package/path'],
    ['the same id twice', index([entry, entry]), 'lists acme.weather more than once'],
  ])('refuses %s: invalid_index', (_, text, reason) => {
    const error = failure(() => parseIndex(text));
    expect(error.code).toBe('invalid_index');
    expect(error.message).toContain(reason);
  });
});
