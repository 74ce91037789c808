import { isIPv6 } from 'node:net';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signInThrottle } from '../db/schema.ts';

/**
 * Wrong passwords slow down the pair that typed them, (e-mail, client address), and nobody else:
 * the person signing in from their own office is not refused because someone elsewhere guessed
 * at their address, and no account is ever locked by a stranger. Unknown e-mail addresses are
 * throttled exactly like known ones, so the answer tells nothing of who has an account.
 */

/** Failures of a pair that cost no wait; after them the wait doubles from 1 s up to 15 minutes. */
export const FREE_FAILURES = 3;
export const MAX_DELAY_SECONDS = 15 * 60;
/** A pair not seen for this long starts over, and its row is deleted. */
const FORGET_AFTER = sql`interval '1 day'`;

/** How long a pair waits after its `failures`-th failure in a row, in seconds. */
export function delaySeconds(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(failures - FREE_FAILURES - 1, 20));
}

/**
 * The address a pair is kept under: an IPv4 address as it is (an IPv4-mapped IPv6 one as IPv4),
 * an IPv6 address by its /64, which one household or office gets whole.
 */
export function throttleAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

const normalise = (email: string) => email.trim().toLowerCase();

/** Until when sign-ins of this pair are held back, if they are now. */
export async function heldBackUntil(db: Database, email: string, ip: string, now: Date): Promise<Date | undefined> {
  const [row] = await db
    .select({ until: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(
      and(
        eq(signInThrottle.email, normalise(email)),
        eq(signInThrottle.address, throttleAddress(ip)),
        gt(signInThrottle.blockedUntil, now),
      ),
    );
  return row?.until;
}

/** Counts a failure of the pair; returns how many in a row and until when the next one waits. */
export async function recordFailure(
  db: Pick<Database, 'insert' | 'update' | 'delete'>,
  email: string,
  ip: string,
  now: Date,
): Promise<{ failures: number; until: Date }> {
  const key = { email: normalise(email), address: throttleAddress(ip) };
  const at = sql`${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ ...key, failures: 1, blockedUntil: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [signInThrottle.email, signInThrottle.address],
      set: {
        failures: sql`case when ${signInThrottle.updatedAt} < ${at} - ${FORGET_AFTER} then 1 else ${signInThrottle.failures} + 1 end`,
        updatedAt: now,
      },
    })
    .returning({ failures: signInThrottle.failures });
  const failures = row!.failures;
  const until = new Date(now.getTime() + delaySeconds(failures) * 1000);
  // greatest: of two failures at once, the later count's wait stands.
  await db
    .update(signInThrottle)
    .set({ blockedUntil: sql`greatest(${signInThrottle.blockedUntil}, ${until.toISOString()}::timestamptz)` })
    .where(and(eq(signInThrottle.email, key.email), eq(signInThrottle.address, key.address)));
  // The table holds what is still remembered only.
  await db.delete(signInThrottle).where(lt(signInThrottle.updatedAt, sql`${at} - ${FORGET_AFTER}`));
  return { failures, until };
}

/** A successful sign-in clears its own pair; the coordinator's "unlock" clears every pair of an e-mail. */
export async function clearThrottle(db: Pick<Database, 'delete'>, email: string, ip?: string): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      ip === undefined
        ? eq(signInThrottle.email, normalise(email))
        : and(eq(signInThrottle.email, normalise(email)), eq(signInThrottle.address, throttleAddress(ip))),
    );
}
