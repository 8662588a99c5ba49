import { Router } from 'express';
import multer from 'multer';
import type { AppConfig } from '../config/config';
import { academicYearSpan } from '../calendar/academic-calendar';
import { declareRoute } from '../http/contract/api-contract';
import { problems } from '../http/problem';
import { requireActor } from '../identity/policy';
import { parseArchiveInput } from './archive-input';
import type { RosterImportService } from './roster/roster-import.service';
import { staleByCounselor } from './stale-archives';
import { archiveBody, assistanceBody, diffQuery, noFields, sensitiveReadBody, studentListQuery, studentParams, studentReadQuery, yearQuery } from './students.schemas';
import type { StudentsService } from './students.service';

/** `If-Match: "7"` (the ETag of a read) → 7; absent → undefined. */
function ifMatchRevision(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) {
    throw problems.badRequest('If-Match must be the ETag of the archive, e.g. "7"', 'If-Match 应为档案的 ETag，如 "7"', [
      { path: 'If-Match', message: '应为档案版本号，如 "7"', messageEn: 'must be an archive revision such as "7"', rule: 'pattern' },
    ]);
  }
  return Number(match[1]);
}

function validArchive(body: Record<string, unknown>, partial: boolean) {
  const { value, problems: found } = parseArchiveInput(body, { partial });
  if (found.length) throw problems.validation(found);
  return value;
}

export function studentsRoutes(config: AppConfig, students: StudentsService, imports: RosterImportService): Router {
  const router = Router();
  const at = '/api';
  const tag = 'Student archives (学生档案)';
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: config.importMaxBytes, files: 1 } });

  declareRoute(router, at, { method: 'get', path: '/students', summary: 'Search archives; stale=true lists those not confirmed this academic year', tag, permission: 'students:read', query: studentListQuery }, async ({ query }, req, res) => {
    const { limit, skip, q, stale, academicYear, ...filters } = query;
    const result = await students.search(requireActor(req.actor), {
      limit, skip, text: q, ...filters,
      staleFor: stale ? (academicYear ?? students.currentYear()) : undefined,
    });
    const total = 'total' in result ? result.total : '*';
    res.setHeader('Content-Range', result.items.length ? `${skip}-${skip + result.items.length - 1}/${total}` : `*/${total}`);
    res.json(result);
  });

  declareRoute(router, at, { method: 'get', path: '/students/stale-by-counselor', summary: 'How many archives each counselor still has to confirm', tag, permission: 'students:read', query: yearQuery }, async ({ query }, req, res) => {
    const year = query.academicYear ?? students.currentYear();
    res.json({ academicYear: year, ...academicYearSpan(year, students.calendar), counselors: await staleByCounselor(requireActor(req.actor), year) });
  });

  declareRoute(router, at, { method: 'post', path: '/students', summary: 'Create an archive', tag, permission: 'students:write', body: archiveBody }, async ({ body }, req, res) => {
    res.status(201).json(await students.create(requireActor(req.actor), validArchive(body, false)));
  });

  declareRoute(router, at, { method: 'post', path: '/students/imports', summary: 'Import a roster (multipart field "file", XLSX or CSV); answers 202 and runs in the background', tag, permission: 'students:import', before: [upload.single('file')], body: noFields, status: 202 }, async (_input, req, res) => {
    if (!req.file) throw problems.badRequest('Send the roster in the multipart field "file"', '请在 multipart 字段 "file" 中上传名册');
    const name = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
    const job = await imports.start(requireActor(req.actor), { name, content: req.file.buffer });
    res.status(202).location(`/api/students/imports/${String(job._id)}`).json({ id: String(job._id), status: job.status });
  });

  declareRoute(router, at, { method: 'get', path: '/students/imports/:id', summary: 'Progress and row-by-row report of a roster import', tag, permission: 'students:import', params: studentParams }, async ({ params }, req, res) => {
    res.json(await imports.get(requireActor(req.actor), params.id));
  });

  declareRoute(router, at, { method: 'get', path: '/students/:id', summary: 'One archive (sensitive fields only with sensitive:read, each read audited; ?sensitive=omit: none opened, with sensitiveAccess); ETag is its revision', tag, permission: 'students:read', params: studentParams, query: studentReadQuery }, async ({ params, query }, req, res) => {
    const actor = requireActor(req.actor);
    const student = await students.findScoped(actor, params.id);
    const archive = query.sensitive === 'omit' ? await students.presentClosed(actor, student) : await students.present(actor, student);
    res.setHeader('ETag', `"${archive.revision}"`);
    // The ETag names the archive's revision (for If-Match), not the whole answer: the last contact and the
    // sensitive values change without a new revision, so a browser must never answer from its cache.
    res.setHeader('Cache-Control', 'no-store');
    res.json(archive);
  });

  declareRoute(router, at, { method: 'post', path: '/students/:id/sensitive-reads', summary: 'Open the sensitive part on purpose (break-glass): a reason unless the caller is the student’s counselor; audited with the reason; 403 with the need-to-know rule for others', tag, permission: 'students:read', params: studentParams, body: sensitiveReadBody, labels: { reason: '查看原因' }, status: 200 }, async ({ params, body }, req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await students.openSensitive(requireActor(req.actor), params.id, body.reason));
  });

  declareRoute(router, at, { method: 'patch', path: '/students/:id', summary: 'Change an archive; If-Match with the ETag refuses a change made from an older revision (409)', tag, permission: 'students:write', params: studentParams, body: archiveBody, status: 200 }, async ({ params, body }, req, res) => {
    const expected = ifMatchRevision(req.get('If-Match'));
    const result = await students.update(requireActor(req.actor), params.id, validArchive(body, true), expected);
    res.setHeader('ETag', `"${result.student.revision}"`);
    res.json(result);
  });

  declareRoute(router, at, { method: 'post', path: '/students/:id/confirm', summary: "This academic year's confirmation that the archive is accurate (A3)", tag, permission: 'students:write', params: studentParams, status: 200 }, async ({ params }, req, res) => {
    res.json(await students.confirm(requireActor(req.actor), params.id));
  });

  declareRoute(router, at, { method: 'post', path: '/students/:id/assistance', summary: 'Record targeted assistance for a special student (A2)', tag, permission: 'students:write', params: studentParams, body: assistanceBody }, async ({ params, body }, req, res) => {
    const date = new Date(body.date);
    if (Number.isNaN(date.getTime())) throw problems.validation([{ path: 'date', message: '日期无效', messageEn: 'date is not a valid date', rule: 'date' }]);
    res.status(201).json(await students.addAssistance(requireActor(req.actor), params.id, { date, kind: body.kind, description: body.description }));
  });

  declareRoute(router, at, { method: 'get', path: '/students/:id/history', summary: 'Every change of the archive', tag, permission: 'students:read', params: studentParams }, async ({ params }, req, res) => {
    res.json(await students.history(requireActor(req.actor), params.id));
  });

  declareRoute(router, at, { method: 'get', path: '/students/:id/diff', summary: 'Year-to-year difference of the archive', tag, permission: 'students:read', params: studentParams, query: diffQuery }, async ({ params, query }, req, res) => {
    const to = query.to ?? students.currentYear();
    const from = query.from ?? `${Number(to.slice(0, 4)) - 1}-${to.slice(0, 4)}`;
    res.json(await students.yearDiff(requireActor(req.actor), params.id, from, to, { sensitive: query.sensitive !== 'omit' }));
  });

  return router;
}
