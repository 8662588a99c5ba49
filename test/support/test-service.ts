import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Types } from 'mongoose';
import { CollegeModel } from '../../server/colleges/college.model';
import { loadConfig, type AppConfig } from '../../server/config/config';
import { hashPassword } from '../../server/identity/secrets';
import type { Role } from '../../server/identity/roles';
import { UserModel } from '../../server/identity/user.model';
import type { RunningDatabase } from '../../server/db/embedded-database';
import { startService, type RunningService } from '../../server/service';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface TestService {
  url: string;
  config: AppConfig;
  service: RunningService;
  /** Fetch against the service, JSON in and out. */
  request(method: string, route: string, options?: { body?: unknown; as?: Credentials; headers?: Record<string, string> }): Promise<TestResponse>;
  college(code: string, name?: string): Promise<Types.ObjectId>;
  staff(role: Role, college?: Types.ObjectId, username?: string): Promise<Credentials>;
  stop(): Promise<void>;
}

export interface Credentials {
  userId: Types.ObjectId;
  username: string;
  password: string;
  cookie?: string;
  apiKey?: string;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let counter = 0;

/** Starts the real service (real HTTP, real database) on a fresh database for one test file. */
/** `database`: a database server of the test's own (one it may stop), instead of the run's shared one. */
export async function startTestService(env: Record<string, string> = {}, options: { database?: RunningDatabase } = {}): Promise<TestService> {
  const uri = options.database?.uri ?? process.env.HSB_TEST_MONGODB_URI;
  if (!uri) throw new Error('HSB_TEST_MONGODB_URI is not set: run the tests through jest (globalSetup)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-test-data-'));
  counter += 1;
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      MONGODB_URI: uri,
      HSB_DB_NAME: `hsb_test_${process.pid}_${Date.now().toString(36)}_${counter}`,
      HSB_DATA_DIR: dataDir,
      HSB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HSB_FORMS_DIR: path.join(ROOT, 'forms'),
      HSB_LOGIN_RATE_LIMIT: '1000',
      ...(process.env.HSB_DB_POOL_SIZE ? { HSB_DB_POOL_SIZE: process.env.HSB_DB_POOL_SIZE } : {}),
      // Tests' receivers listen on loopback, which webhooks refuse unless allowed.
      HSB_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      // Tests run the plan deadline check themselves (checkPlanDeadlines), at the time they choose.
      HSB_DEADLINE_CHECK_MS: '0',
      // Tests recompute the dashboard's figures when they want them (POST /api/dashboard/refresh).
      HSB_DASHBOARD_REFRESH_MS: '0',
      ...env,
    },
    ROOT,
  );
  const service = await startService(config, { database: { uri, description: 'test', stop: async () => undefined }, log: () => undefined });

  const request: TestService['request'] = async (method, route, options = {}) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.as?.apiKey) headers['X-API-Key'] = options.as.apiKey;
    else if (options.as?.cookie) headers.Cookie = options.as.cookie;
    const response = await fetch(`${service.url}${route}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body };
  };

  const colleges = new Map<string, Types.ObjectId>();
  const college: TestService['college'] = async (code, name = `${code} 学院`) => {
    if (!colleges.has(code)) colleges.set(code, (await CollegeModel.create({ code, name }))._id);
    return colleges.get(code)!;
  };

  const staff: TestService['staff'] = async (role, collegeId, username) => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const name = username ?? `${role.toLowerCase()}-${randomBytes(3).toString('hex')}`;
    const user = await UserModel.create({ username: name, displayName: name, role, college: collegeId, passwordHash: await hashPassword(password) });
    const login = await request('POST', '/api/auth/login', { body: { username: name, password } });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    const cookie = login.headers.get('set-cookie')?.split(';')[0];
    return { userId: user._id, username: name, password, cookie };
  };

  return {
    url: service.url,
    config,
    service,
    request,
    college,
    staff,
    stop: async () => {
      await mongoose.connection.dropDatabase();
      await service.stop();
    },
  };
}
