import { ConfigError, loadConfig } from './config/config';
import { seedDemoData, type DemoResult } from './demo/seed';
import { startService } from './service';

const say = (line = ''): void => console.log(line);
const row = (label: string, value: string): void => say(`  ${label.padEnd(10)} ${value}`);

function printSummary(url: string, database: { description: string; why?: string }, usesOwnDatabase: boolean, demo?: DemoResult): void {
  say();
  say('家校心桥 Home–School Bridge is ready');
  row('open', `${url}/`);
  row('database', database.description);
  if (database.why) row('', `why: ${database.why}`);
  if (!usesOwnDatabase) row('', 'for production set MONGODB_URI=mongodb://host:27017 (MongoDB 5.0+, a replica set or Atlas)');
  if (demo?.created) {
    // Printed to the operator's terminal once; never written to the structured log.
    row('demo', `${demo.summary} — staff sign in with "demo-password" (e.g. counselor1)`);
    row('admin', demo.adminUsername);
    row('password', `${demo.adminPassword} (shown once: change it)`);
    row('API key', `${demo.apiKey}`);
    row('', 'for the n8n credential Home–School Bridge API (shown once)');
  }
  say();
}

function embeddedDatabaseTooSmall(count: number, limit: number): string {
  return (
    `warning: ${count.toLocaleString('en')} student archives on the embedded database, which stays quick up to about ${limit.toLocaleString('en')}; ` +
    'lists, counts and dashboards will take seconds. Set MONGODB_URI to a MongoDB server or replica set (README: Databases). / ' +
    `警告：内置数据库中有 ${count} 份学生档案，超过约 ${limit} 份后列表、统计与看板会明显变慢，请设置 MONGODB_URI 使用 MongoDB。`
  );
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const print = (message: string): void => console.log(`[home-school-bridge] ${message}`);
  let demo: DemoResult | undefined;
  const prepare = async (): Promise<void> => {
    if (config.seedDemoData) demo = await seedDemoData();
  };
  const service = await startService(config, { log: print, prepare });
  printSummary(service.url, service.database, Boolean(config.mongodbUri), demo);
  const started = Date.now();
  void service.archives.then((count) => {
    print(`${count.toLocaleString('en')} student archives read in ${((Date.now() - started) / 1000).toFixed(1)} s: student numbers known, student directory in step`);
    if (!config.mongodbUri && count > config.embeddedStudentLimit) print(embeddedDatabaseTooSmall(count, config.embeddedStudentLimit));
  }, () => undefined);

  const shutdown = (signal: string): void => {
    print(`${signal} received, finishing in-flight requests…`);
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`[home-school-bridge] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
