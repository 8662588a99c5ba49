import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { AppConfig } from './config/config';
import { connectDatabase, disconnectDatabase } from './db/connection';
import { resolveDatabase } from './db/resolve-database';
import type { RunningDatabase } from './db/embedded-database';
import { syncFormsFromDirectory } from './forms/form-catalog';
import { discardUnfinishedSubmissions } from './forms/forms.service';
import { createLogger } from './http/logger';
import { FieldCipher } from './security/field-cipher';
import { loadOrCreateLocalKey } from './security/local-key';
import { onDomainEvent } from './events/event-bus';
import { WebhooksService } from './webhooks/webhooks.service';
import { academicYearOf } from './calendar/academic-calendar';
import { recoverInterruptedImports } from './students/roster/import-undo';
import { syncStudentDirectory } from './students/directory/student-directory';
import { StudentsService } from './students/students.service';
import { checkPlanDeadlines } from './visits/deadline-reminders';
import { sweepTicketDeadlines } from './letters/tickets/ticket-deadlines';
import { sweepInactiveGroups } from './mentoring/mentoring-inactivity';

export interface RunningService {
  server: Server;
  url: string;
  database: RunningDatabase;
  logger: Logger;
  /** How many student archives there are, known after the start-up pass over them (student numbers, student directory). */
  archives: Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Use this database instead of resolving one from the configuration (tests share one server). */
  database?: RunningDatabase;
  log?: (message: string) => void;
  /** Runs after the database and forms are ready and before the port opens (demo data). */
  prepare?: () => Promise<void>;
}

function atMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work.catch(() => undefined), deadline]).finally(() => clearTimeout(timer));
}

/** Resolves the database, loads the forms, and listens. `stop()` drains in-flight requests first. */
export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = createLogger(config);
  const log = options.log ?? ((message: string) => logger.info(message));
  const database = options.database ?? (await resolveDatabase(config, log));
  await connectDatabase(database.uri, config.databaseName, config.dbPoolSize ?? database.maxPoolSize, config.dbTimeoutMs);
  await syncFormsFromDirectory(config.formsDir, log);

  const key = config.encryptionKey ?? loadOrCreateLocalKey(config.dataDir, log);
  const cipher = new FieldCipher(key, config.encryptionPreviousKeys);
  const webhooks = new WebhooksService(cipher, config.webhookDelivery);
  const stopListening = onDomainEvent((event) => webhooks.enqueue(event));
  webhooks.start(1000, (error) => logger.warn({ err: error }, 'finished webhook deliveries could not be moved out of the queue; they stay listed and are moved at the next start'));
  const students = new StudentsService(cipher, config.calendar);
  const { app, dashboards, letterLauncher } = createApp({ config, logger, cipher, webhooks, students });
  // One pass over the archives, in the background: the student numbers are learned, and the student
  // directory brought in step. Started first, so that work resumed below (a letter launch) waits for it
  // instead of starting a pass of its own.
  const archives = syncStudentDirectory((s) => {
    if (!students.numbers.known(s.studentNo)) students.numbers.remember(s.studentNo, s._id);
  });
  archives.catch((error: unknown) => logger.warn({ err: error }, 'the pass over the archives failed; student numbers are looked up one by one and the directory is brought in step before it is next read'));
  // Work a process left half-done when it died (no transactions to roll it back): at start, then every minute.
  const finishUnfinishedWork = async (): Promise<void> => {
    await recoverInterruptedImports(academicYearOf(new Date(), config.calendar), config.unfinishedWorkMs, log);
    await discardUnfinishedSubmissions(config.unfinishedWorkMs, log);
    await letterLauncher.resume();
    // Feedback tickets due within a working day are marked for their owners; overdue ones escalated once.
    await sweepTicketDeadlines();
    // Mentoring groups silent for HSB_MENTORING_INACTIVE_WEEKS weeks: announced to their leaders once per silence.
    await sweepInactiveGroups(config.mentoring.inactiveWeeks, new Date(), config.publicUrl ?? '');
  };
  await finishUnfinishedWork();
  const sweep = setInterval(() => void finishUnfinishedWork().catch((error: unknown) => logger.error({ err: error }, 'recovery of unfinished work failed')), 60_000);
  sweep.unref();
  // Plan deadline reminders of open campaigns; each is sent once, whatever else runs (see deadline-reminders).
  const deadlineCheck = config.deadlineCheckMs > 0
    ? setInterval(() => void checkPlanDeadlines(students).catch((error: unknown) => logger.error({ err: error }, 'plan deadline check failed')), config.deadlineCheckMs)
    : undefined;
  deadlineCheck?.unref();
  // The dashboard's figures, recomputed every HSB_DASHBOARD_REFRESH_MS by one process of several.
  dashboards.start((error) => logger.error({ err: error }, 'dashboard refresh failed'));
  await options.prepare?.();

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, () => resolve(listening));
    listening.once('error', reject);
  });
  // An idle keep-alive connection is closed by the client first (fetch/undici after ~4 s, proxies after
  // 60 s), never by the service while a client is sending on it: when a long task has kept the event loop
  // busy, a service-side close racing a reused connection reaches the client as ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      clearInterval(sweep);
      clearInterval(deadlineCheck);
      dashboards.stop();
      stopListening();
      // A database that stopped answering must not keep the process from ending: in-flight deliveries
      // and the disconnect get the same grace as requests, then the process goes anyway.
      await atMost(webhooks.stop(), config.shutdownGraceMs);
      await atMost(disconnectDatabase(), config.shutdownGraceMs);
      if (!options.database) await database.stop();
    })();
    return stopping;
  };
  return { server, url, database, logger, archives, stop };
}
