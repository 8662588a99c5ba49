import { Router } from 'express';
import multer from 'multer';
import { z } from 'zod/v4';
import type { AppConfig } from '../config/config';
import { declareRoute } from '../http/contract/api-contract';
import { problems } from '../http/problem';
import { contentDisposition } from './content-disposition';
import { downloadNameFor } from './download-names';
import type { FileStore } from './file-store';
import { openFileFor, storeUpload } from './files.service';
import { requireActor } from '../identity/policy';

/** Upload endpoint for Form.io file components with `storage: "url"`, and the authorised download. */
export function filesRoutes(config: AppConfig, store: FileStore): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } });

  // What @formio/js's `url` storage sends along with the file (providers/storage/url.js): the project and
  // form in the query, `name` and `dir` as fields. They are accepted and not used.
  const uploadQuery = z.object({ baseUrl: z.string().max(2000).optional(), project: z.string().max(100).optional(), form: z.string().max(100).optional() }).strict();
  const uploadFields = z.object({ name: z.string().max(300).optional(), dir: z.string().max(300).optional() }).strict();
  declareRoute(
    router,
    '/api',
    { method: 'post', path: '/files', summary: 'Upload a file (multipart field "file") for a form’s file component; content sniffed, size limited', tag: 'Files (文件)', permission: 'files:upload', before: [upload.single('file')], query: uploadQuery, body: uploadFields },
    async (_input, req, res) => {
      if (!req.file) throw problems.badRequest('Send the file in the multipart field "file"', '请在 multipart 字段 "file" 中上传文件', [
        { path: 'file', message: '请选择文件', messageEn: 'file is required', rule: 'required' },
      ]);
      const actor = requireActor(req.actor);
      const originalName = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
      const stored = await storeUpload(store, actor, { originalName, content: req.file.buffer });
      const url = `${req.protocol}://${req.get('host')}/api/files/${String(stored._id)}`;
      res.status(201).json({ url, id: String(stored._id), name: originalName, originalName, size: stored.size, type: stored.contentType });
    },
  );

  const fileParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'must be a file id (24 hex digits)') }).strict();
  declareRoute(
    router,
    '/api',
    { method: 'get', path: '/files/:id', summary: 'Download an upload; evidence of a visit report is named after the student (学号-姓名-家访-1.jpg)', tag: 'Files (文件)', permission: 'submissions:read', params: fileParams, produces: 'application/octet-stream' },
    async ({ params }, req, res) => {
      const { file, stream } = await openFileFor(store, requireActor(req.actor), params.id);
      const name = await downloadNameFor(file).catch((error: unknown) => {
        stream.destroy();
        throw error;
      });
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', contentDisposition(name));
      res.setHeader('Cache-Control', 'private, no-store');
      stream.on('error', (error) => res.destroy(error));
      stream.pipe(res);
    },
  );

  return router;
}
