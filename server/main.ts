import { ConfigError, loadConfig } from './config/config';
import { seedDemoData } from './demo/seed';
import { startService } from './service';

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
  const prepare = async (): Promise<void> => {
    if (!config.seedDemoData) return;
    const demo = await seedDemoData(print);
    if (demo.created) {
      // Printed to the operator's terminal once; never written to the structured log.
      print('demo data created. Sign in with (shown once, change it):');
      print(`  admin login:  ${demo.adminUsername} / ${demo.adminPassword}`);
      print(`  API key for n8n (scopes: ${demo.apiKeyScopes.join(', ')}): ${demo.apiKey}`);
    }
  };
  const service = await startService(config, { log: print, prepare });
  print(`database: ${service.database.description}`);
  if (!config.mongodbUri) print('to use your own MongoDB (5.0+, Atlas or FerretDB), set MONGODB_URI=mongodb://host:27017');
  print(`listening on ${service.url}  — forms: ${service.url}/  ready: ${service.url}/ready`);

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
  console.error('[home-school-bridge] failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
