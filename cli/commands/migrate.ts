import { connectDatabase } from '../../db/client.ts';
import { runMigrations } from '../../db/migrate.ts';
import { seedAgencyRegistries } from '../../db/seed.ts';
import { loadConfig } from '../../runtime/config.ts';
import { ensureDeploymentTable } from '../../runtime/deployment-identity.ts';

/**
 * `dondoc migrate`: applies migrations, creates the deployment-identity table and seeds registries
 * on DATABASE_URL. The one step that needs the right to create tables: a migration job runs it as
 * the database's owner, and the API and the worker can then run as a role that only reads and writes.
 */
export async function run(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    console.error('dondoc migrate: cần DATABASE_URL ("npm start" tự chuyển đổi cơ sở dữ liệu nhúng của nó).');
    return 2;
  }
  const database = connectDatabase(config.databaseUrl, { max: 1 });
  try {
    await runMigrations(database.db);
    await ensureDeploymentTable(database.db);
    const seeded = await seedAgencyRegistries(database.db);
    console.log(
      `Đã áp dụng các bản chuyển đổi${seeded.length ? `; đã nạp các danh mục cơ quan: ${seeded.join(', ')}` : ''}.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
