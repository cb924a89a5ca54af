/** `npm run demo`: loads the demo district into the configured database if it is not there yet. */
import { readConfig } from './config';
import { openDatabase, runMigrations } from './db/client';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoExists, seedDemo } from './db/demo/seed';

const config = readConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await runMigrations(database);
if (await demoExists(database.db)) {
  console.log('演示区县已存在，未重复生成 (demo district already present).');
} else {
  const n = await seedDemo(database.db);
  console.log(`演示数据已生成：${n.students} 名学生，${n.guardians} 位家长。`);
}
console.log(`Demo accounts (password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => a.login).join(', ')}`);
await database.close();
