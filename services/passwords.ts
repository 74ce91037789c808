import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Invalid } from './errors.ts';

/** Passwords: how they are hashed (scrypt), checked, and what one must be. */

export const MIN_PASSWORD_LENGTH = 10;

// scrypt's cost: N = 2^17 with r = 8, p = 1 (OWASP's minimum for scrypt): 128 MiB of memory and
// some hundreds of milliseconds of one core per hash. Hashes made with a smaller N (2^15 before)
// still verify, and are made again at the next successful sign-in.
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
const KEY_LENGTH = 64;
/**
 * Hashes computed at once. Each holds 128 MiB and one thread of libuv's pool (4 by default), which
 * file reads and DNS also need: a burst of sign-ins waits in turn rather than taking them all.
 */
const MAX_HASHING = 2;
let hashing = 0;
const waitingToHash: (() => void)[] = [];

async function inHashingTurn<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < MAX_HASHING) hashing += 1;
  else await new Promise<void>((resolve) => waitingToHash.push(resolve));
  try {
    return await work();
  } finally {
    // The turn passes straight to the next in line, or is given back.
    const next = waitingToHash.shift();
    if (next) next();
    else hashing -= 1;
  }
}

function scryptAsync(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return inHashingTurn(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: SCRYPT_MAXMEM }, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      ),
  );
}

/** "scrypt$N$r$p$salt$key" (base64url), so the cost can grow without invalidating old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  // No password (one being reset): the same work as a wrong one, so the answer takes as long.
  if (scheme !== 'scrypt' || !salt || !key) {
    await verifyPassword(password, await decoy());
    return false;
  }
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Whether a stored hash was made with a lower cost than today's, and should be made again. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme === 'scrypt' && (Number(n) !== SCRYPT.N || Number(r) !== SCRYPT.r || Number(p) !== SCRYPT.p);
}

/** Compared against when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;
export const decoy = () => (decoyHash ??= hashPassword(randomBytes(32).toString('base64url')));

/** A password a person may choose; `field` names it in the answer. */
export function checkPassword(password: string, field = '/password'): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new Invalid(`Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`, [
      { field, message: `ít nhất ${MIN_PASSWORD_LENGTH} ký tự` },
    ]);
}
