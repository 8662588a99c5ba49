import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../server/config/config';
import { ROOT } from '../support/test-service';

const run = promisify(execFile);

describe('configuration', () => {
  it('names every bad value at once, in English and Chinese', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', HSB_EMBEDDED_DB: 'oracle', HSB_EMBEDDED_DURABILITY: 'sometimes', MONGODB_URI: 'postgres://x', HSB_ENCRYPTION_KEY: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT="eighty" must be a whole number/);
    expect(problems).toMatch(/HSB_EMBEDDED_DB="oracle" must be one of auto, mongod, ferretdb/);
    expect(problems).toMatch(/HSB_EMBEDDED_DURABILITY="sometimes" must be one of grouped, commit/);
    expect(problems).toMatch(/MONGODB_URI must be a mongodb:\/\//);
    expect(problems).toMatch(/HSB_ENCRYPTION_KEY must be 32 bytes.*密钥/);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses production without an encryption key and a real database', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/HSB_ENCRYPTION_KEY is required[\s\S]*MONGODB_URI is required/);
  });

  it('has sensible defaults', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', embeddedDatabase: 'auto', embeddedDurability: 'grouped', dataDir: '/srv/app/data', uploadStorage: 'folder', uploadDir: '/srv/app/data/uploads' });
    // With a real MongoDB the uploads go to GridFS, shared by every replica of the service.
    expect(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017' }, '/srv/app').uploadStorage).toBe('gridfs');
    expect(loadConfig({ MONGODB_URI: 'mongodb://db.example:27017', HSB_UPLOAD_STORAGE: 'folder' }, '/srv/app').uploadStorage).toBe('folder');
  });

  it('stops the service at start with a clear message and exit code 78', async () => {
    // The compiled service, as `npm start` runs it (`npm test` builds first).
    const main = path.join(ROOT, 'dist', 'server', 'main.js');
    const failure = await run(process.execPath, [main], {
      cwd: ROOT,
      env: { ...process.env, PORT: '99999', HSB_TEST_MONGODB_URI: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).toBe(78);
    expect((failure as { stderr: string }).stderr).toMatch(/Invalid configuration \/ 配置无效[\s\S]*PORT="99999"/);
  });
});
