import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Root folder of an installed package, found the way Node looks up node_modules from here. */
function packageDir(name: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`package ${name} is not installed`);
  }
}

function publicDir(): string {
  const candidates = [path.join(__dirname, 'public'), path.join(__dirname, '..', '..', '..', 'server', 'pages', 'public')];
  return candidates.find((dir) => existsSync(path.join(dir, 'form.html'))) ?? candidates[0]!;
}

function formsI18nDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'forms', 'i18n'), path.join(__dirname, '..', '..', '..', 'forms', 'i18n')];
  return candidates.find((dir) => existsSync(path.join(dir, 'zh.json'))) ?? candidates[0]!;
}

/**
 * Staff pages and every asset they need, served by the service itself: nothing is loaded from a CDN.
 * @formio/js's "CDN" base URL is pointed at /assets/cdn, where the libraries it loads lazily live.
 */
export function pagesRoutes(): Router {
  const router = Router();
  const pages = publicDir();
  const assets = { maxAge: '1h', immutable: false, fallthrough: false };

  router.use('/assets/app', express.static(path.join(pages, 'app'), assets));
  router.use('/assets/i18n', express.static(formsI18nDir(), assets));
  router.use('/assets/formio', express.static(path.join(packageDir('@formio/js'), 'dist'), assets));
  router.use('/assets/bootstrap', express.static(path.join(packageDir('bootstrap'), 'dist'), assets));
  router.use('/assets/bootstrap-icons', express.static(path.join(packageDir('bootstrap-icons'), 'font'), assets));
  router.use('/assets/cdn/bootstrap-icons', express.static(path.join(packageDir('bootstrap-icons'), 'font'), assets));
  // @formio/js asks for `l10n/flatpickr-<locale>.js`; flatpickr ships `l10n/<locale>.js`.
  router.get('/assets/cdn/flatpickr-formio/l10n/flatpickr-:locale.js', (req, res, next) => {
    const locale = String(req.params.locale);
    if (!/^[a-z]{2}(-[a-z]{2})?$/i.test(locale)) return next();
    res.sendFile(path.join(packageDir('flatpickr'), 'dist', 'l10n', `${locale}.js`), assets);
  });
  router.use('/assets/cdn/flatpickr-formio', express.static(path.join(packageDir('flatpickr'), 'dist'), assets));
  router.use('/assets/cdn/moment-timezone', express.static(packageDir('moment-timezone'), assets));
  router.use('/assets/cdn/flatpickr', express.static(path.join(packageDir('flatpickr'), 'dist'), assets));
  router.use('/assets/echarts', express.static(path.join(packageDir('echarts'), 'dist'), assets));

  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(path.join(pages, file));
  };
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  router.get('/', page('tasks.html'));
  router.get('/login', page('login.html'));
  // The parent's letter (B6): no sign-in; the page reads its token from the address.
  router.get('/l/:token', page('letter.html'));
  router.get('/students', page('students.html'));
  router.get('/students/:id', page('student.html'));
  router.get('/dashboard', page('dashboard.html'));
  router.get('/audit', page('audit.html'));
  router.get('/forms', page('forms.html'));
  router.get('/forms/:path', page('form.html'));
  router.get('/builder/:path', page('builder.html'));
  router.get('/visits', page('visits.html'));
  router.get('/visits/mine', page('mine.html'));
  router.get('/visits/reports/:id', page('report.html'));
  router.get('/visits/cases/:id', page('typical-case.html'));
  router.get('/visits/:campaign/colleges/:college/summary', page('summary.html'));
  router.get('/visits/:campaign', page('overview.html'));
  router.get('/visits/:campaign/statistics', page('statistics.html'));
  router.get('/visits/:campaign/plans/:college', page('plan.html'));
  // Term letters (B6): the list and the compose page, then the more specific /letters/… pages, and last the
  // campaign page, which answers only a campaign id so that named pages under /letters/ keep their own.
  router.get('/letters', page('letters.html'));
  router.get('/letters/new', page('letters-new.html'));
  // Before any `/letters/:id` page: a feedback ticket is not a campaign.
  router.get('/letters/tickets/:id', page('letter-ticket.html'));
  router.get('/letters/:id', (req, res, next) => (/^[0-9a-f]{24}$/.test(String(req.params.id)) ? page('letters-campaign.html')(req, res) : next()));
  // Mentoring groups (C1): the college's overview, a mentor's own groups, then one group by its id only.
  router.get('/mentoring', page('mentoring.html'));
  router.get('/mentoring/mine', page('mentoring-mine.html'));
  router.get('/mentoring/:id', (req, res, next) => (/^[0-9a-f]{24}$/.test(String(req.params.id)) ? page('mentoring-group.html')(req, res) : next()));
  return router;
}
