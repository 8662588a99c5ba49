import path from 'node:path';
import { allowListEntryProblem } from '../webhooks/destination-policy';

export type EmbeddedDatabaseKind = 'auto' | 'mongod' | 'ferretdb';
/** When the embedded FerretDB's commits reach the disk: at each commit, or within about 100 ms of it (see the launcher's wal_sync.go). */
export type EmbeddedDurability = 'commit' | 'grouped';
export type UploadStorage = 'gridfs' | 'folder';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  mongodbUri?: string;
  databaseName: string;
  /** Connections to the database; unset means the driver's default (one for the embedded FerretDB). */
  dbPoolSize?: number;
  /** How long a request waits for an unreachable database before it is answered 503. */
  dbTimeoutMs: number;
  dataDir: string;
  embeddedDatabase: EmbeddedDatabaseKind;
  embeddedDurability: EmbeddedDurability;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  uploadMaxBytes: number;
  uploadStorage: UploadStorage;
  uploadDir: string;
  sessionTtlHours: number;
  /** 32-byte key for field encryption; undefined means "derive a local key in dataDir" (development only). */
  encryptionKey?: Buffer;
  /** Older keys still able to decrypt values until they are re-encrypted (key rotation). */
  encryptionPreviousKeys: Buffer[];
  formsDir: string;
  seedDemoData: boolean;
  shutdownGraceMs: number;
  loginRateLimitPerMinute: number;
  trustProxy: boolean;
  webhookDelivery: {
    maxAttempts: number;
    retryBaseMs: number;
    timeoutMs: number;
    /** Host names, *.domains, addresses and CIDR ranges webhooks may go to (see destination-policy.ts). */
    allowedHosts: string[];
    /** Subscribers whose deliveries are sent at once (each subscriber's in order). */
    concurrency: number;
  };
  calendar: { yearStartMonth: number; yearStartDay: number };
  importMaxBytes: number;
  /** Work that reported no progress for this long is taken as interrupted (a roster import is undone, a half-made submission discarded). */
  unfinishedWorkMs: number;
  /** How often the plan deadlines of open campaigns are checked for reminders (0: never). */
  deadlineCheckMs: number;
  /** How often the dashboard's figures are recomputed (0: only on demand). */
  dashboardRefreshMs: number;
  /** Above this many archives on the embedded database, start-up says to move to MongoDB. */
  embeddedStudentLimit: number;
  /** B2: days between family contacts per care tier. */
  contactIntervalDays: { special: number; key: number; general: number };
  /** B3: days after an award or penalty is recorded within which the parents are to be told. */
  awardNotifyDays: number;
  /** B4: days to close a key-communication case, per category. */
  caseDeadlineDays: Record<string, number>;
  /** D7: fewest distinct photos of ours a visit report needs, per visit mode (a phone visit: call-log screenshots). */
  visitPhotoMinimums: { onsite: number; video: number; phone: number };
  /** Days after a planned visit's day before its missing report is reminded. */
  visitReportGraceDays: number;
  /** B6: where parents open their letters (`<publicUrl>/l/<token>`); the service's own address when unset. */
  publicUrl?: string;
  /** B6 defaults of a new term-letter campaign: working days to answer a feedback, days before non-readers are reminded. */
  letterDefaults: { responseDays: number; reminderAfterDays: number };
  /** B6: requests a minute one address may make with letter links (the parent's page). */
  letterRateLimitPerMinute: number;
  /**
   * C1–C2 mentoring groups: whether members may come from outside the student's college, and the weeks
   * without a logged activity after which the group's leader is reminded.
   */
  mentoring: { crossCollegeMembers: boolean; inactiveWeeks: number };
  /** B5 PDF letters: a CJK font file (a face name for .ttc collections); found among common paths when unset. */
  letterFont: { path?: string; family?: string };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration / 配置无效:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}="${value}" must be one of ${allowed.join(', ')} / 必须是 ${allowed.join('、')} 之一`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name}="${value}" must be a whole number from ${min} to ${max} / 必须是 ${min} 到 ${max} 之间的整数`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
    this.problems.push(`${name}="${value}" must be true or false / 必须是 true 或 false`);
    return fallback;
  }

  /** Comma-separated entries, each checked by `problem` (which returns a message for a bad entry). */
  list(name: string, problem: (entry: string) => string | undefined): string[] {
    const entries = (this.raw(name) ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
    for (const entry of entries) {
      const found = problem(entry);
      if (found) this.problems.push(`${name}: ${found}`);
    }
    return entries;
  }

  mongoUri(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (!/^mongodb(\+srv)?:\/\/[^\s]+$/.test(value)) {
      this.problems.push(`${name} must be a mongodb:// or mongodb+srv:// connection string / 必须是 mongodb:// 或 mongodb+srv:// 连接串`);
      return undefined;
    }
    return value;
  }

  key(name: string, explicit?: string): Buffer | undefined {
    const value = explicit?.trim() ?? this.raw(name);
    if (value === undefined) return undefined;
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length !== 32 || decoded.toString('base64').replace(/=+$/, '') !== value.replace(/=+$/, '')) {
      this.problems.push(`${name} must be 32 bytes encoded as base64 (openssl rand -base64 32) / 必须是 base64 编码的 32 字节密钥`);
      return undefined;
    }
    return decoded;
  }
}

/** Reads and validates the whole configuration; throws one ConfigError naming every bad value. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const dataDir = path.resolve(cwd, read.raw('HSB_DATA_DIR') ?? 'data');
  const databaseName = read.raw('HSB_DB_NAME') ?? 'home_school_bridge';
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(databaseName)) {
    read.problems.push(`HSB_DB_NAME="${databaseName}" may use letters, digits, _ and - only (max 60) / 数据库名只能包含字母、数字、_ 和 -`);
  }

  const mongodbUri = read.mongoUri('MONGODB_URI');

  const config: AppConfig = {
    env: nodeEnv,
    host: read.raw('HOST') ?? '127.0.0.1',
    port: read.integer('PORT', 3000, 0, 65535),
    mongodbUri,
    databaseName,
    dbPoolSize: read.raw('HSB_DB_POOL_SIZE') === undefined ? undefined : read.integer('HSB_DB_POOL_SIZE', 10, 1, 500),
    dbTimeoutMs: read.integer('HSB_DB_TIMEOUT_MS', 5_000, 500, 120_000),
    dataDir,
    embeddedDatabase: read.oneOf('HSB_EMBEDDED_DB', ['auto', 'mongod', 'ferretdb'] as const, 'auto'),
    embeddedDurability: read.oneOf('HSB_EMBEDDED_DURABILITY', ['grouped', 'commit'] as const, 'grouped'),
    logLevel: read.oneOf('HSB_LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimitBytes: read.integer('HSB_BODY_LIMIT_BYTES', 1_000_000, 1_000, 50_000_000),
    uploadMaxBytes: read.integer('HSB_UPLOAD_MAX_BYTES', 20 * 1024 * 1024, 1_024, 500 * 1024 * 1024),
    // On the embedded database the uploads sit beside it in the data folder: its engine stores GridFS chunks
    // as documents it decodes on every read. A real MongoDB keeps them in GridFS, shared by every replica.
    uploadStorage: read.oneOf('HSB_UPLOAD_STORAGE', ['gridfs', 'folder'] as const, mongodbUri ? 'gridfs' : 'folder'),
    uploadDir: path.resolve(cwd, read.raw('HSB_UPLOAD_DIR') ?? path.join(dataDir, 'uploads')),
    sessionTtlHours: read.integer('HSB_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    encryptionKey: read.key('HSB_ENCRYPTION_KEY'),
    encryptionPreviousKeys: (read.raw('HSB_ENCRYPTION_PREVIOUS_KEYS') ?? '')
      .split(',')
      .filter((k) => k.trim() !== '')
      .map((k, i) => read.key(`HSB_ENCRYPTION_PREVIOUS_KEYS[${i}]`, k) ?? Buffer.alloc(0)),
    formsDir: path.resolve(cwd, read.raw('HSB_FORMS_DIR') ?? 'forms'),
    seedDemoData: read.boolean('HSB_SEED_DEMO', nodeEnv !== 'production'),
    shutdownGraceMs: read.integer('HSB_SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    loginRateLimitPerMinute: read.integer('HSB_LOGIN_RATE_LIMIT', 10, 1, 10_000),
    trustProxy: read.boolean('HSB_TRUST_PROXY', false),
    webhookDelivery: {
      maxAttempts: read.integer('HSB_WEBHOOK_MAX_ATTEMPTS', 6, 1, 20),
      retryBaseMs: read.integer('HSB_WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3_600_000),
      timeoutMs: read.integer('HSB_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      concurrency: read.integer('HSB_WEBHOOK_CONCURRENCY', 8, 1, 256),
      // A trial install (not production) talks to an n8n on the same machine; production names its hosts.
      allowedHosts: env.HSB_WEBHOOK_ALLOWED_HOSTS === undefined && nodeEnv !== 'production' ? ['127.0.0.1', '::1'] : read.list('HSB_WEBHOOK_ALLOWED_HOSTS', allowListEntryProblem),
    },
    calendar: { yearStartMonth: 9, yearStartDay: 1 },
    importMaxBytes: read.integer('HSB_IMPORT_MAX_BYTES', 50 * 1024 * 1024, 1_024, 500 * 1024 * 1024),
    unfinishedWorkMs: read.integer('HSB_UNFINISHED_WORK_MS', 120_000, 0, 86_400_000),
    deadlineCheckMs: read.integer('HSB_DEADLINE_CHECK_MS', 60_000, 0, 86_400_000),
    dashboardRefreshMs: read.integer('HSB_DASHBOARD_REFRESH_MS', 60_000, 0, 86_400_000),
    embeddedStudentLimit: read.integer('HSB_EMBEDDED_STUDENT_LIMIT', 5_000, 0, 10_000_000),
    contactIntervalDays: {
      special: read.integer('HSB_CONTACT_DAYS_SPECIAL', 14, 1, 365),
      key: read.integer('HSB_CONTACT_DAYS_KEY', 30, 1, 365),
      general: read.integer('HSB_CONTACT_DAYS_GENERAL', 90, 1, 730),
    },
    awardNotifyDays: read.integer('HSB_AWARD_NOTIFY_DAYS', 7, 1, 90),
    visitPhotoMinimums: {
      onsite: read.integer('HSB_VISIT_PHOTOS_ONSITE', 4, 0, 50),
      video: read.integer('HSB_VISIT_PHOTOS_VIDEO', 2, 0, 50),
      phone: read.integer('HSB_VISIT_PHOTOS_PHONE', 1, 0, 50),
    },
    visitReportGraceDays: read.integer('HSB_VISIT_REPORT_GRACE_DAYS', 3, 0, 60),
    letterFont: { path: read.raw('HSB_LETTER_FONT'), family: read.raw('HSB_LETTER_FONT_FAMILY') },
    publicUrl: read.raw('HSB_PUBLIC_URL')?.replace(/\/+$/, ''),
    letterDefaults: {
      responseDays: read.integer('HSB_LETTER_RESPONSE_DAYS', 5, 1, 60),
      reminderAfterDays: read.integer('HSB_LETTER_REMINDER_DAYS', 3, 0, 60),
    },
    letterRateLimitPerMinute: read.integer('HSB_LETTER_RATE_LIMIT', 60, 1, 10_000),
    mentoring: {
      crossCollegeMembers: read.boolean('HSB_MENTORING_CROSS_COLLEGE', false),
      inactiveWeeks: read.integer('HSB_MENTORING_INACTIVE_WEEKS', 4, 1, 52),
    },
    caseDeadlineDays: {
      academic: read.integer('HSB_CASE_DAYS_ACADEMIC', 7, 1, 90),
      cannotFollow: read.integer('HSB_CASE_DAYS_CANNOT_FOLLOW', 7, 1, 90),
      internetOrExtreme: read.integer('HSB_CASE_DAYS_INTERNET_EXTREME', 3, 1, 90),
      emergency: read.integer('HSB_CASE_DAYS_EMERGENCY', 1, 0, 90),
      statusChange: read.integer('HSB_CASE_DAYS_STATUS_CHANGE', 3, 1, 90),
      other: read.integer('HSB_CASE_DAYS_OTHER', 7, 1, 90),
    },
  };

  const yearStart = read.raw('HSB_ACADEMIC_YEAR_START') ?? '09-01';
  const yearStartMatch = /^(\d{2})-(\d{2})$/.exec(yearStart);
  const month = Number(yearStartMatch?.[1]);
  const day = Number(yearStartMatch?.[2]);
  if (!yearStartMatch || month < 1 || month > 12 || day < 1 || day > 28) {
    read.problems.push(`HSB_ACADEMIC_YEAR_START="${yearStart}" must be MM-DD with a day from 01 to 28 / 学年开始日期须为 MM-DD（日为 01–28）`);
  } else {
    config.calendar = { yearStartMonth: month, yearStartDay: day };
  }

  if (config.env === 'production' && !config.encryptionKey) {
    read.problems.push('HSB_ENCRYPTION_KEY is required when NODE_ENV=production / 生产环境必须设置 HSB_ENCRYPTION_KEY');
  }
  if (config.env === 'production' && !config.mongodbUri) {
    read.problems.push('MONGODB_URI is required when NODE_ENV=production (the embedded database is for trials) / 生产环境必须设置 MONGODB_URI');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
