import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createToken, TokenVerifier } from '../../services/tokens.ts';
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
  it('stops asking the database for an address once its lookups for the minute are spent', async () => {
    const verifier = new TokenVerifier(counted, { lookupsPerMinute: 5 });
    queries = 0;
    for (let i = 0; i < 50; i += 1) expect(await verifier.verify(madeUp(i), '10.9.9.9')).toBeUndefined();
    expect(queries).toBe(5);
    // Another address still has its own lookups.
    expect(await verifier.verify(madeUp(1000), '10.9.9.10')).toBeUndefined();
    expect(queries).toBe(6);
  });

  it('keeps a valid token remembered however many made-up ones come after it', async () => {
    const { token } = await createToken(ctx.database.db, {
      name: 'Sở Nội vụ',
      role: 'agency',
      agencyCode: 'SNV',
      createdBy: 'test',
    });
    // More made-up tokens than the verifier remembers in all (10,000 valid and 1,000 refused).
    const verifier = new TokenVerifier(counted, { lookupsPerMinute: 20_000 });
    expect(await verifier.verify(token, '10.0.0.1')).toMatchObject({ agencyCode: 'SNV' });
    for (let i = 0; i < 10_050; i += 1) await verifier.verify(madeUp(i), '10.0.0.2');
    queries = 0;
    expect(verifier.peek(token)).toMatchObject({ agencyCode: 'SNV' });
    expect(await verifier.verify(token, '10.0.0.1')).toMatchObject({ agencyCode: 'SNV' });
    expect(queries).toBe(0);
  });
});
