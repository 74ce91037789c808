import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import { createTestContext, type TestContext } from '../support/context.ts';
import { dondoc as runDondoc } from '../support/cli.ts';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx?.close();
});

const dondoc = (...args: string[]) => runDondoc(args, { env: { DATABASE_URL: ctx.databaseUrl } });

describe('dondoc contacts', () => {
  it('adds, lists and removes contacts through the same service and audit trail as the API', async () => {
    const email = await dondoc(
      'contacts',
      'add',
      '--registry',
      'vinh-phuc',
      '--agency',
      'SYT',
      '--email',
      'vanthu@syt.vinhphuc.example.gov.vn',
      '--json',
    );
    expect(email.stderr).toBe('');
    expect(email.status).toBe(0);
    const added = JSON.parse(email.stdout) as { id: string; agencyCode: string };
    expect(added.agencyCode).toBe('SYT');

    const hook = await dondoc(
      'contacts',
      'add',
      '--registry',
      'vinh-phuc',
      '--role',
      'leadership',
      '--webhook',
      'https://chat.example.gov.vn/hook',
    );
    expect(hook.status).toBe(0);
    expect(hook.stdout).toMatch(/Khóa bí mật webhook \(chỉ hiện lần này\): whsec_[A-Za-z0-9+/]+=*/);

    const list = await dondoc('contacts', 'list', '--registry', 'vinh-phuc');
    expect(list.stdout).toContain('vanthu@syt.vinhphuc.example.gov.vn');
    expect(list.stdout).toContain('(leadership)  webhook  https://chat.example.gov.vn/hook');
    expect(list.stdout).toContain('2 người nhận.');

    const removed = await dondoc('contacts', 'remove', added.id);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('Đã xóa người nhận');

    const audit = await ctx.database.db.select().from(auditLog).where(eq(auditLog.entityId, added.id));
    expect(audit.map((a) => a.action)).toEqual(['contact-add', 'contact-remove']);
    expect(audit[0]!.actor).toContain('cli:');
  });

  it('answers a mistake with its reason and exit code 2', async () => {
    const missing = await dondoc('contacts', 'add', '--registry', 'vinh-phuc', '--email', 'a@b.vn');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cần --agency hoặc --role');
    const bad = await dondoc(
      'contacts',
      'add',
      '--registry',
      'vinh-phuc',
      '--agency',
      'SYT',
      '--email',
      'không-phải-thư',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('dondoc contacts: --email: Không phải địa chỉ thư.\n');
  });
});
