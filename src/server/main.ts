/**
 * Starts Kehou: reads the configuration, opens the database (PostgreSQL with DATABASE_URL, else
 * the embedded one in KEHOU_DATA_DIR), applies migrations, loads the demo district into a new
 * embedded data directory, and listens.
 */
import { existsSync, readdirSync } from 'node:fs';
import { buildApp } from './app';
import { readConfig } from './config';
import { openDatabase, runMigrations } from './db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoExists, seedDemo } from './db/demo/seed';
import { startSimulatorIfConfigured } from './modules/payments/simulator/server';

async function main() {
  const config = readConfig();
  const freshEmbedded = !config.databaseUrl && (!existsSync(config.dataDir) || readdirSync(config.dataDir).length === 0);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  await runMigrations(database);
  if (freshEmbedded && !(await demoExists(database.db))) {
    console.log('新的数据目录：正在生成演示区县数据 (demo district)…');
    const n = await seedDemo(database.db);
    console.log(`演示数据已生成：${n.students} 名学生，${n.guardians} 位家长。`);
  }
  const app = await buildApp({
    database,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    webDist: config.webDist,
    trustProxy: config.trustProxy,
  });
  await app.listen({ port: config.port, host: config.host });
  // the payment provider simulator on loopback (off in production unless KEHOU_PAY_SIMULATOR=1; see README)
  process.env.PORT ??= String(config.port);
  const simulator = await startSimulatorIfConfigured();
  if (simulator) console.log(`Payment provider simulator (demo, no real money): ${simulator.url}`);
  const where = database.kind === 'embedded' ? `embedded PGlite at ${config.dataDir}` : 'PostgreSQL';
  console.log(`\nKehou 课后 is running: http://localhost:${config.port}  (database: ${where})`);
  if (await demoExists(database.db)) {
    console.log(`Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.login.padEnd(12)} ${a.who} · ${a.school}`);
  }
  const stop = async () => {
    await simulator?.close();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
