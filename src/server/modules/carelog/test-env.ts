/** A test app with the outbox worker off (tests drive the worker and the escalation themselves). */
import { buildApp } from '../../app';
import { runMigrations } from '../../db/client';
import { seedDemo } from '../../db/demo/seed';
import { type DbKind, openTestDatabase, type TestEnv } from '../../test/harness';

export async function carelogEnv(kind: DbKind): Promise<TestEnv> {
  const { database, drop } = await openTestDatabase(kind);
  await runMigrations(database);
  await seedDemo(database.db, { scale: 0.2 });
  const app = await buildApp({ database, loginRateLimit: 10_000, outbox: { disabled: true } });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}
