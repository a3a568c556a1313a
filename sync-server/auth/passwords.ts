/**
 * Password hashing with scrypt (node:crypto), a memory-hard KDF: N = 2^15, r = 8 (32 MiB a hash), so a
 * stolen database costs an attacker memory as well as time for every guess. The stored form carries its
 * parameters ("scrypt$N$r$p$salt$hash", base64url) so they can be raised later without a migration.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export const MIN_PASSWORD_LENGTH = 10;

/**
 * `minLength` is lowered only for the demo's well-known users (password "demo") on a throwaway data
 * folder; every real account goes through the default.
 */
export async function hashPassword(password: string, options: { minLength?: number } = {}): Promise<string> {
  const min = options.minLength ?? MIN_PASSWORD_LENGTH;
  if (password.length < min) throw new RangeError(`a password has at least ${min} characters`);
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAX_MEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEM });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
