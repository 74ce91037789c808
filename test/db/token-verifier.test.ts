import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createToken, LOOKUP_BUSY, TokenVerifier } from '../../services/tokens.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let ctx: TestContext;
let queries = 0;
/** The real database, counting the token lookups made through it. */
let counted: Database;

beforeAll(async () => {
  ctx = await createTestContext();
  counted = new Proxy(ctx.database.db, {
    get(target, property, receiver) {
      if (property === 'select') queries += 1;
      return Reflect.get(target, property, receiver);
    },
  });
});

afterAll(async () => {
  await ctx?.close();
});

const madeUp = (i: number) => `dd_made-up-token-${i}-${'x'.repeat(30)}`;

describe('the token verifier under a flood of made-up tokens', () => {
  it('still verifies a valid token sent from an address that has sent thousands of made-up ones', async () => {
    const { token } = await createToken(ctx.database.db, {
      name: 'Sở Tài chính',
      role: 'agency',
      agencyCode: 'STC',
      createdBy: 'test',
    });
    const verifier = new TokenVerifier(counted);
    for (let i = 0; i < 700; i += 1) expect(await verifier.verify(madeUp(i), '10.9.9.9')).toBeUndefined();
    expect(await verifier.verify(token, '10.9.9.9')).toMatchObject({ agencyCode: 'STC' });
  });

  it('bounds what a burst of made-up tokens from one address costs: one lookup at a time, a few waiting', async () => {
    const verifier = new TokenVerifier(counted, { waitingPerAddress: 4 });
    queries = 0;
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => verifier.verify(madeUp(5000 + i), '10.9.9.11')),
    );
    expect(answers.filter((a) => a === LOOKUP_BUSY)).toHaveLength(96);
    expect(answers.filter((a) => a === undefined)).toHaveLength(4);
    expect(queries).toBe(4);
    // Another address has its own lane.
    expect(await verifier.verify(madeUp(6000), '10.9.9.12')).toBeUndefined();
    // The same token asked for many times at once is looked up once.
    queries = 0;
    const same = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(madeUp(7000), '10.9.9.13')));
    expect(same.every((a) => a === undefined)).toBe(true);
    expect(queries).toBe(1);
  });

  it('keeps a valid token remembered however many made-up ones come after it', async () => {
    const { token } = await createToken(ctx.database.db, {
      name: 'Sở Nội vụ',
      role: 'agency',
      agencyCode: 'SNV',
      createdBy: 'test',
    });
    // More made-up tokens than the verifier remembers in all (10,000 valid and 1,000 refused).
    // Remembered long enough for the flood to pass on a busy machine (it took 11.6 s once, beyond
    // the default 10 s): what is tested is the room, not the time.
    const verifier = new TokenVerifier(counted, { ttlMs: 10 * 60_000 });
    expect(await verifier.verify(token, '10.0.0.1')).toMatchObject({ agencyCode: 'SNV' });
    for (let i = 0; i < 10_050; i += 1) await verifier.verify(madeUp(i), '10.0.0.2');
    queries = 0;
    expect(verifier.peek(token)).toMatchObject({ agencyCode: 'SNV' });
    expect(await verifier.verify(token, '10.0.0.1')).toMatchObject({ agencyCode: 'SNV' });
    expect(queries).toBe(0);
  });
});
