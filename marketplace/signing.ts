import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { MarketError } from './errors.js';

/** The contents of `index.json.sig`. */
export interface IndexSignature {
  algorithm: 'ed25519';
  /** First 16 hex characters of sha256 over the raw 32-byte public key. */
  keyId: string;
  /** Base64 of the 64-byte ed25519 signature over the exact bytes of index.json. */
  signature: string;
}

const PREFIX = 'ed25519:';

/** A new signing key: the public key as `ed25519:<base64>`, the private key as PEM (PKCS#8). */
export function generateKeyPair(): { publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKeyString(publicKey), privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** The public key (`ed25519:<base64>`) belonging to a PEM private key. */
export function publicKeyOf(privateKeyPem: string): string {
  return publicKeyString(createPublicKey(privateKeyObject(privateKeyPem)));
}

export function keyIdOf(publicKey: string): string {
  return keyIdOfRaw(rawPublicKey(publicKey));
}

/** Signs `bytes` (the exact bytes of index.json). */
export function signBytes(bytes: Uint8Array, privateKeyPem: string): IndexSignature {
  const key = privateKeyObject(privateKeyPem);
  const raw = Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');
  return { algorithm: 'ed25519', keyId: keyIdOfRaw(raw), signature: sign(null, bytes, key).toString('base64') };
}

/**
 * Verifies `sig` (the parsed index.json.sig, or its text or bytes) over `bytes` with the trusted key it names.
 * Throws MarketError `untrusted_key` when none of `trustedKeys` has its keyId, `bad_signature` when it is malformed
 * or does not verify. Returns the key that verified.
 */
export function verifyIndexSignature(bytes: Uint8Array, sig: unknown, trustedKeys: string[]): { publicKey: string; keyId: string } {
  const signature = parseSignature(sig);
  const publicKey = trustedKeys.find((key) => keyIdOf(key) === signature.keyId);
  if (publicKey === undefined) {
    const trusted = trustedKeys.map(keyIdOf);
    throw new MarketError(
      'untrusted_key',
      `The index is signed with key ${signature.keyId}, which is not trusted (trusted: ${trusted.length > 0 ? trusted.join(', ') : 'none'}).`,
      { keyId: signature.keyId, trusted },
    );
  }
  const raw = Buffer.from(signature.signature, 'base64');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawPublicKey(publicKey).toString('base64url') }, format: 'jwk' });
  if (raw.length !== 64 || !verify(null, bytes, key, raw)) {
    throw new MarketError('bad_signature', `The index signature does not verify with key ${signature.keyId}; the index was changed after it was signed.`, {
      keyId: signature.keyId,
    });
  }
  return { publicKey, keyId: signature.keyId };
}

function parseSignature(sig: unknown): IndexSignature {
  const malformed = (why: string) => new MarketError('bad_signature', `The index signature is malformed: ${why}.`);
  let value = sig;
  if (typeof value === 'string' || value instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof value === 'string' ? value : Buffer.from(value).toString('utf8'));
    } catch {
      throw malformed('it is not JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformed('expected an object');
  const { algorithm, keyId, signature } = value as Record<string, unknown>;
  if (algorithm !== 'ed25519') throw malformed(`the algorithm is ${JSON.stringify(algorithm)}, expected "ed25519"`);
  if (typeof keyId !== 'string' || !/^[0-9a-f]{16}$/.test(keyId)) throw malformed('keyId must be 16 lowercase hex characters');
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) throw malformed('signature must be the base64 of 64 bytes');
  return { algorithm, keyId, signature };
}

/** The 32 raw bytes of an `ed25519:<base64>` public key; MarketError `untrusted_key` for anything else. */
function rawPublicKey(publicKey: string): Buffer {
  const base64 = typeof publicKey === 'string' && publicKey.startsWith(PREFIX) ? publicKey.slice(PREFIX.length) : '';
  const raw = Buffer.from(base64, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(base64) || raw.length !== 32) {
    throw new MarketError('untrusted_key', `${JSON.stringify(publicKey)} is not a public key; expected "ed25519:" followed by the base64 of 32 bytes.`, {
      key: publicKey,
    });
  }
  return raw;
}

function keyIdOfRaw(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function publicKeyString(key: KeyObject): string {
  return PREFIX + Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
}

function privateKeyObject(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`The registry key is not a PEM private key: ${(error as Error).message}.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`The registry key is a ${key.asymmetricKeyType} key; an ed25519 key is needed.`);
  return key;
}
