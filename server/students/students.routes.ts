import { Router } from 'express';
import multer from 'multer';
import type { AppConfig } from '../config/config';
import { academicYearSpan, isAcademicYear } from '../calendar/academic-calendar';
import { bodyObject, pageParams } from '../http/body-reader';
import { problems } from '../http/problem';
import { requireActor, requirePermission } from '../identity/policy';
import { parseArchiveInput } from './archive-input';
import type { RosterImportService } from './roster/roster-import.service';
import { staleByCounselor } from './stale-archives';
import type { StudentsService } from './students.service';


function yearParam(value: unknown, name: string, fallback: string): string {
  const year = typeof value === 'string' && value ? value : fallback;
  if (!isAcademicYear(year)) {
    throw problems.badRequest(`${name} must be an academic year like 2025-2026`, `${name} 应为学年，如 2025-2026`, [
      { path: name, message: '学年格式应为 2025-2026', messageEn: 'must look like 2025-2026', rule: 'pattern' },
    ]);
  }
  return year;
}

export function studentsRoutes(config: AppConfig, students: StudentsService, imports: RosterImportService): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: config.importMaxBytes, files: 1 } });

  router.get('/students', requirePermission('students:read'), async (req, res) => {
    const q = req.query;
    const stale = q.stale === 'true';
    const page = pageParams(q, 500);
    const result = await students.search(requireActor(req.actor), {
      ...page,
      text: typeof q.q === 'string' ? q.q : undefined,
      grade: typeof q.grade === 'string' ? q.grade : undefined,
      major: typeof q.major === 'string' ? q.major : undefined,
      careTier: typeof q.careTier === 'string' ? q.careTier : undefined,
      counselor: typeof q.counselor === 'string' ? q.counselor : undefined,
      college: typeof q.college === 'string' ? q.college : undefined,
      staleFor: stale ? yearParam(q.academicYear, 'academicYear', students.currentYear()) : undefined,
    });
    res.setHeader('Content-Range', result.items.length ? `${page.skip}-${page.skip + result.items.length - 1}/${result.total}` : `*/${result.total}`);
    res.json(result);
  });

  router.get('/students/stale-by-counselor', requirePermission('students:read'), async (req, res) => {
    const year = yearParam(req.query.academicYear, 'academicYear', students.currentYear());
    res.json({ academicYear: year, ...academicYearSpan(year, students.calendar), counselors: await staleByCounselor(requireActor(req.actor), year) });
  });

  router.post('/students', requirePermission('students:write'), async (req, res) => {
    const { value, problems: found } = parseArchiveInput(bodyObject(req), { partial: false });
    if (found.length) throw problems.validation(found);
    res.status(201).json(await students.create(requireActor(req.actor), value));
  });

  router.post('/students/imports', requirePermission('students:import'), upload.single('file'), async (req, res) => {
    if (!req.file) throw problems.badRequest('Send the roster in the multipart field "file"', '请在 multipart 字段 "file" 中上传名册');
    const name = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
    const job = await imports.start(requireActor(req.actor), { name, content: req.file.buffer });
    res.status(202).location(`/api/students/imports/${String(job._id)}`).json({ id: String(job._id), status: job.status });
  });

  router.get('/students/imports/:id', requirePermission('students:import'), async (req, res) => {
    res.json(await imports.get(requireActor(req.actor), String(req.params.id)));
  });

  router.get('/students/:id', requirePermission('students:read'), async (req, res) => {
    const actor = requireActor(req.actor);
    res.json(await students.present(actor, await students.findScoped(actor, String(req.params.id))));
  });

  router.patch('/students/:id', requirePermission('students:write'), async (req, res) => {
    const { value, problems: found } = parseArchiveInput(bodyObject(req), { partial: true });
    if (found.length) throw problems.validation(found);
    res.json(await students.update(requireActor(req.actor), String(req.params.id), value));
  });

  router.post('/students/:id/confirm', requirePermission('students:write'), async (req, res) => {
    res.json(await students.confirm(requireActor(req.actor), String(req.params.id)));
  });

  router.post('/students/:id/assistance', requirePermission('students:write'), async (req, res) => {
    const b = bodyObject(req);
    const date = typeof b.date === 'string' ? new Date(b.date) : new Date(NaN);
    const found = [];
    if (Number.isNaN(date.getTime())) found.push({ path: 'date', message: '日期无效', messageEn: 'date is not a valid date', rule: 'date' });
    if (typeof b.kind !== 'string' || !b.kind.trim()) found.push({ path: 'kind', message: '帮扶类型为必填项', messageEn: 'kind is required', rule: 'required' });
    if (typeof b.description !== 'string' || !b.description.trim()) found.push({ path: 'description', message: '帮扶内容为必填项', messageEn: 'description is required', rule: 'required' });
    if (found.length) throw problems.validation(found);
    res.status(201).json(await students.addAssistance(requireActor(req.actor), String(req.params.id), { date, kind: String(b.kind).trim(), description: String(b.description).trim() }));
  });

  router.get('/students/:id/history', requirePermission('students:read'), async (req, res) => {
    res.json(await students.history(requireActor(req.actor), String(req.params.id)));
  });

  router.get('/students/:id/diff', requirePermission('students:read'), async (req, res) => {
    const current = students.currentYear();
    const to = yearParam(req.query.to, 'to', current);
    const from = yearParam(req.query.from, 'from', `${Number(to.slice(0, 4)) - 1}-${to.slice(0, 4)}`);
    res.json(await students.yearDiff(requireActor(req.actor), String(req.params.id), from, to));
  });

  return router;
}
