/**
 * Password hashing with scrypt (memory-hard, built into Node: no native module to compile). One hash runs at a
 * time, as upstream does, so a burst of logins cannot exhaust memory; a second concurrent attempt is refused and
 * the caller answers 429.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

// N = 2^15 with r = 8 uses 32 MiB per hash, the OWASP recommendation for scrypt.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

export class HashingBusyError extends Error {
  constructor() {
    super('Password hashing capacity reached; try again in a moment.');
    this.name = 'HashingBusyError';
  }
}

let busy = false;

async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (busy) throw new HashingBusyError();
  busy = true;
  try {
    return await work();
  } finally {
    busy = false;
  }
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the parameters travel with the hash, so they can be raised later. */
export function hashPassword(password: string): Promise<string> {
  return exclusive(async () => {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEMORY });
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
  });
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return exclusive(async () => {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY });
    return key.length === expected.length && timingSafeEqual(key, expected);
  });
}

/** At least 8 characters with a letter and a digit; the message says what is missing. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < 8) return 'The password must have at least 8 characters.';
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return 'The password must contain a letter and a digit.';
  return undefined;
}
