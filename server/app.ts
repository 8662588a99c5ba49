import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { auditRoutes } from './audit/audit.routes';
import { auditPerRequest } from './audit/request-audit';
import type { AppConfig } from './config/config';
import { isDatabaseReachable } from './db/connection';
import { createFileStore } from './files/file-store';
import { filesRoutes } from './files/files.routes';
import { formsRoutes } from './forms/forms.routes';
import { FormsService } from './forms/forms.service';
import { zhMessages } from './forms/zh-messages';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { runWithContext } from './http/request-context';
import { authenticate } from './identity/authenticate';
import { formioSessionRoutes } from './identity/formio-session.routes';
import { identityRoutes } from './identity/identity.routes';
import { openApiDocument } from './http/contract/openapi';
import { serviceVersion } from './config/service-version';
import { pagesRoutes } from './pages/pages.routes';
import type { FieldCipher } from './security/field-cipher';
import { idempotency } from './idempotency/idempotency.middleware';
import type { WebhooksService } from './webhooks/webhooks.service';
import { webhooksRoutes } from './webhooks/webhooks.routes';
import { studentsRoutes } from './students/students.routes';
import { StudentsService } from './students/students.service';
import { RosterImportService } from './students/roster/roster-import.service';
import { AwardsService } from './liaison/awards.service';
import { CasesService } from './liaison/cases.service';
import { ContactsService } from './liaison/contacts.service';
import { liaisonRoutes } from './liaison/liaison.routes';
import { registerLiaisonForms } from './liaison/liaison-forms';
import { registerArchiveForm } from './students/archive-form';
import { CampaignsService } from './visits/campaigns.service';
import { PlansService } from './visits/plans.service';
import { visitsRoutes } from './visits/visits.routes';
import { materialsRoutes } from './visits/materials/materials.routes';
import { typicalCasesRoutes } from './visits/cases/typical-cases.routes';
import { TypicalCasesService } from './visits/cases/typical-cases.service';
import { collegeSummaryRoutes } from './visits/summary/college-summary.routes';
import { CollegeSummaryService } from './visits/summary/college-summary.service';
import { summaryMaterialsParts } from './visits/summary/summary-materials';
import { visitReportsRoutes } from './visits/reports/reports.routes';
import { VisitReportsService } from './visits/reports/visit-reports.service';
import { archiveProposalsRoutes } from './visits/reports/proposals/archive-proposals.routes';
import { ArchiveProposalsService } from './visits/reports/proposals/archive-proposals.service';
import { visitHistoryRoutes } from './visits/reports/revisits/visit-history.routes';
import { VisitHistoryService } from './visits/reports/revisits/visit-history.service';
import { visitStatisticsRoutes } from './visits/statistics/statistics.routes';
import { VisitStatisticsService } from './visits/statistics/statistics.service';
import { statisticsPart } from './visits/statistics/statistics-part';
import { registerVisitApplicationForm } from './visits/visit-application-form';
import { registerReportEvidenceNames } from './visits/reports/report-evidence-names';
import { registerVisitReportForm } from './visits/reports/report-form';
import { DashboardRefresher } from './dashboards/dashboard-refresher';
import { DashboardService } from './dashboards/dashboard.service';
import { dashboardRoutes } from './dashboards/dashboard.routes';
import { taskSources } from './workspace/tasks/sources';
import { TasksService } from './workspace/tasks/tasks.service';
import { tasksRoutes } from './workspace/tasks/tasks.routes';
import { lettersRoutes } from './letters/letters.routes';
import { LetterCampaignsService } from './letters/letter-campaigns.service';
import { LetterLauncher } from './letters/letter-launch';
import { LetterLinks } from './letters/letter-links';
import { LetterOutbox } from './letters/letter-outbox';
import { FamilyLettersService } from './letters/family-letters.service';
import { parentLettersRoutes } from './letters/parent/parent-letters.routes';
import { ParentLettersService } from './letters/parent/parent-letters.service';
import { redactLetterToken } from './letters/parent/redact-token';
import { ticketsRoutes } from './letters/tickets/tickets.routes';
import { TicketsService } from './letters/tickets/tickets.service';
import { RoutingRulesService } from './letters/tickets/routing-rules.service';
import { LetterReportService } from './letters/report/letter-report';
import { letterReportRoutes } from './letters/report/letter-report.routes';
import { LetterReach } from './letters/reach/reach.service';
import { letterReachRoutes } from './letters/reach/reach.routes';
import { MentoringGroupsService } from './mentoring/mentoring-groups.service';
import { mentoringRoutes } from './mentoring/mentoring.routes';
import { registerMentoringForms } from './mentoring/mentoring-forms';
import { supportRoutes } from './support/support.routes';

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  cipher: FieldCipher;
  webhooks: WebhooksService;
  students: StudentsService;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** Builds the HTTP application. Starting the database and listening are the caller's business (see main.ts). */
/** The HTTP application, and the background work its modules need started (and stopped) with it. */
export interface App {
  app: Express;
  dashboards: DashboardRefresher;
  /** Creates the letters of launched term-letter campaigns; resumed at start and every minute. */
  letterLauncher: LetterLauncher;
}

export function createApp({ config, logger, cipher, webhooks, students }: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/health' || (req.url ?? '').startsWith('/assets/') },
      serializers: {
        // A parent's letter link is a key: its secret is cut out of the logged path.
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactLetterToken(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, _res, next) => runWithContext({ requestId: String(req.id), ip: req.ip }, next));
  app.use(auditPerRequest(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // @formio/js compiles its string templates with Function(); without 'unsafe-eval' no form renders.
          // Scripts still load only from this origin, and form definitions are managed by staff.
          scriptSrc: ["'self'", "'unsafe-eval'"],
          // @formio/js sets inline style attributes while rendering.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Only behind TLS; on a plain-HTTP trial install it would break every asset.
          upgradeInsecureRequests: config.env === 'production' ? [] : null,
        },
      },
      strictTransportSecurity: config.env === 'production',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(express.json({ limit: config.bodyLimitBytes }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const database = await isDatabaseReachable();
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'not ready', database });
  });

  app.use(pagesRoutes());
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument(serviceVersion()));
  });
  const fileStore = createFileStore(config.uploadStorage, config.uploadDir);
  const letterCampaigns = new LetterCampaignsService(config);
  // The parent's letter page works without an account (the link is the key), so it comes before sign-in.
  app.use('/api', parentLettersRoutes(new ParentLettersService(letterCampaigns, fileStore), { rateLimitPerMinute: config.letterRateLimitPerMinute }));
  app.use(authenticate);
  app.use(idempotency(cipher));

  const forms = new FormsService({ cipher, zh: zhMessages(config.formsDir), uploadMaxBytes: config.uploadMaxBytes, visitPhotoMinimums: config.visitPhotoMinimums });
  const rosterImports = new RosterImportService(students);
  const contacts = new ContactsService(students, config);
  const cases = new CasesService(students, contacts, config);
  const awards = new AwardsService(students, contacts, config.letterFont, config.awardNotifyDays);
  const campaigns = new CampaignsService(config);
  const plans = new PlansService(students, campaigns);
  const feedbackTickets = new TicketsService();
  const mentoring = new MentoringGroupsService(students, { ...config.mentoring, publicUrl: config.publicUrl });
  const tasks = new TasksService(taskSources({ students, contacts, cases, awards, plans, campaigns, visitReportGraceDays: config.visitReportGraceDays, tickets: feedbackTickets, mentoring }), students);
  const refresher = new DashboardRefresher(students, plans, config);
  const dashboards = new DashboardService(refresher);
  const visitReports = new VisitReportsService(students, campaigns, plans, contacts);
  const visitStatistics = new VisitStatisticsService(campaigns, students);
  const typicalCases = new TypicalCasesService(students, campaigns, fileStore);
  const collegeSummaries = new CollegeSummaryService(students, campaigns);
  registerArchiveForm(students);
  registerLiaisonForms(contacts, cases, awards);
  registerVisitApplicationForm(plans);
  registerVisitReportForm(visitReports);
  registerReportEvidenceNames();
  registerMentoringForms(mentoring);
  app.use(formsRoutes(forms), formioSessionRoutes());
  app.use('/api', identityRoutes(config), auditRoutes((ids) => students.briefs(ids)), filesRoutes(config, fileStore), webhooksRoutes(webhooks), studentsRoutes(config, students, rosterImports), liaisonRoutes(contacts, cases, awards), visitsRoutes(campaigns, plans, config.letterFont), visitReportsRoutes(visitReports, { campaigns, graceDays: config.visitReportGraceDays, font: config.letterFont, files: fileStore }), materialsRoutes({ campaigns, plans, reports: visitReports, store: fileStore, font: config.letterFont, parts: [statisticsPart(visitStatistics), ...summaryMaterialsParts(collegeSummaries, typicalCases, fileStore, config.letterFont)] }), archiveProposalsRoutes(new ArchiveProposalsService(students)), visitHistoryRoutes(new VisitHistoryService(students, campaigns)), dashboardRoutes(dashboards, refresher), tasksRoutes(tasks));
  app.use('/api', visitStatisticsRoutes(visitStatistics));
  const letterLinks = new LetterLinks(cipher);
  const letterLauncher = new LetterLauncher(letterCampaigns, letterLinks, (error, campaign) => logger.error({ err: error, campaign }, 'creating the letters of a campaign failed; the next sweep resumes it'));
  // Before the letters' routes, so that /family-letters/calls is never read as a letter id.
  const familyLetters = new FamilyLettersService(letterCampaigns, letterLinks);
  app.use('/api', letterReachRoutes(new LetterReach(letterCampaigns, letterLinks, familyLetters, contacts), config.publicUrl));
  app.use('/api', lettersRoutes({ campaigns: letterCampaigns, launcher: letterLauncher, outbox: new LetterOutbox(letterCampaigns, letterLinks), letters: familyLetters, publicUrl: config.publicUrl }));
  app.use('/api', ticketsRoutes(feedbackTickets, new RoutingRulesService()));
  app.use('/api', letterReportRoutes(new LetterReportService(letterCampaigns)));
  app.use('/api', mentoringRoutes(mentoring));
  app.use('/api', typicalCasesRoutes(typicalCases, { store: fileStore, font: config.letterFont }), collegeSummaryRoutes(collegeSummaries, config.letterFont));

  app.use('/api', ...supportRoutes(students));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, dashboards: refresher, letterLauncher };
}
