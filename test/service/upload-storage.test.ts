import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { StoredFileModel } from '../../server/files/stored-file.model';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

let t: TestService;
let counselor: Credentials;

const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]);

async function download(id: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(`${t.url}/api/files/${id}`, { headers: { Cookie: counselor.cookie! } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

beforeAll(async () => {
  // As on the embedded database: uploads in the data folder.
  t = await startTestService({ HSB_UPLOAD_STORAGE: 'folder' });
  counselor = await t.staff('counselor', await t.college('A'));
});
afterAll(async () => {
  await t.stop();
});

describe('where uploads are kept', () => {
  it('writes an upload into the upload folder and serves it from there', async () => {
    const content = jpeg();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), 'IMG_0001.jpg');
    const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: counselor.cookie! }, body: form });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    const record = await StoredFileModel.findById(id).lean();
    expect(record).toMatchObject({ storage: 'folder', size: content.length });
    expect(await readdir(t.config.uploadDir)).toContain(record!.location);
    expect((await readFile(path.join(t.config.uploadDir, record!.location))).equals(content)).toBe(true);
    expect((await download(id)).bytes.equals(content)).toBe(true);
  });

  it('still serves an upload kept in GridFS before the setting changed, from GridFS', async () => {
    const content = jpeg();
    const bucket = new mongoose.mongo.GridFSBucket(mongoose.connection.db!, { bucketName: 'uploads' });
    const gridId = await new Promise<string>((resolve, reject) => {
      const upload = bucket.openUploadStream('earlier.jpg', { metadata: { contentType: 'image/jpeg' } });
      upload.once('error', reject);
      upload.once('finish', () => resolve(String(upload.id)));
      upload.end(content);
    });
    const user = await mongoose.connection.db!.collection('users').findOne({ username: counselor.username });
    const earlier = await StoredFileModel.create({ originalName: 'earlier.jpg', contentType: 'image/jpeg', size: content.length, storage: 'gridfs', location: gridId, owner: user!._id, college: user!.college });

    const read = await download(String(earlier._id));
    expect(read.status).toBe(200);
    expect(read.bytes.equals(content)).toBe(true);
  });
});
