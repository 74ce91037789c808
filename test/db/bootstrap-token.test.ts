import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapToken, TokenVerifier } from '../../services/tokens.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

let ctx: TestContext;
let dataDir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  dataDir = await mkdtemp(join(tmpdir(), 'dondoc-bootstrap-'));
});

afterAll(async () => {
  await ctx?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the configured bootstrap token', () => {
  it('works once configured, and changing it revokes the old one for good', async () => {
    const first = 'dd_first-configured-token-0123456789abcdef';
    const second = 'dd_second-configured-token-9876543210fedcba';
    await ensureBootstrapToken(ctx.database.db, { configured: first, dataDir });
    // A fresh verifier each time: what a restarted API process would answer.
    expect(await new TokenVerifier(ctx.database.db).verify(first)).toMatchObject({ role: 'coordinator' });

    await ensureBootstrapToken(ctx.database.db, { configured: second, dataDir });
    expect(await new TokenVerifier(ctx.database.db).verify(first)).toBeUndefined();
    expect(await new TokenVerifier(ctx.database.db).verify(second)).toMatchObject({ role: 'coordinator' });

    // Going back to the revoked value does not bring it back; the second one is revoked in turn.
    await ensureBootstrapToken(ctx.database.db, { configured: first, dataDir });
    expect(await new TokenVerifier(ctx.database.db).verify(first)).toBeUndefined();
    expect(await new TokenVerifier(ctx.database.db).verify(second)).toBeUndefined();
  });
});
