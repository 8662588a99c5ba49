import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { DateTime } from 'luxon';
import type { Credentials, TestService } from './test-service';

/** Calendar days relative to today in Asia/Shanghai, as the API takes them. */
const TODAY = DateTime.now().setZone('Asia/Shanghai').startOf('day');
export const day = (offset: number): string => TODAY.plus({ days: offset }).toISODate()!;

export const IMPLEMENTATION = { organization: '学院统一部署', schedule: '分批开展', safety: '结伴出行，保持通讯畅通' };

/** Real file heads (what content-type.ts sniffs) followed by random bytes, so that every call differs. */
export const jpeg = (): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);

/** A short MP4 head followed by random bytes: a video upload as content-type.ts recognises it. */
export const mp4 = (): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42', 'latin1'), randomBytes(200)]);

/** A real 2×2 PNG whose colour is `seed`: a photo a PDF can carry (and a distinct file per seed). */
export function png(seed: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.from([0, seed & 255, (seed * 7) & 255, (seed * 13) & 255, seed & 255, (seed * 7) & 255, (seed * 13) & 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat([row, row]))), chunk('IEND', Buffer.alloc(0))]);
}

/** Everything a submitted report of a current student must say, visited on `visitedOn`. */
export const reportContent = (visitedOn: string) => ({
  visitedOn,
  place: '学生家中',
  metWith: '张父（父亲）',
  orientations: ['policy', 'study', 'growth'],
  account: '辅导员到学生家中，与父亲交流学生在校表现和假期安排。',
  reflections: '家校沟通让我们更了解学生的成长环境。',
  parentOpinion: '希望学校多关注孩子的学业。',
});

export const planEntry = (student: string, mode: string, visitors: Credentials[], extra: Record<string, unknown> = {}) => ({ student, mode, kind: 'general', visitors: visitors.map((v) => ({ user: v.username })), ...extra });

/** Campaigns, approved plans, uploads and reports over the real API, as the people who make them. */
export function visitFixtures(t: TestService, who: { officer: Credentials; leader: Credentials; counselor: Credentials }) {
  const upload = async (as: Credentials, content: Buffer = jpeg(), name = 'IMG.jpg'): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), name);
    const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  return {
    upload,
    photos: (count: number, as: Credentials) => Promise.all(Array.from({ length: count }, () => upload(as))),

    /** An open campaign of the given colleges visiting from `startsIn` to `endsIn` days from today. */
    async campaign(colleges: string[], startsIn = -10, endsIn = 30, extra: Record<string, unknown> = {}): Promise<string> {
      const created = await t.request('POST', '/api/visit-campaigns', {
        as: who.officer,
        body: { title: '寒假家访', break: 'winter', visitStartsOn: day(startsIn), visitEndsOn: day(endsIn), planDueAt: `${day(Math.max(startsIn, 0) + 5)} 12:00`, colleges, ...extra },
      });
      expect(created.status).toBe(201);
      expect((await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: who.officer })).status).toBe(200);
      return created.body.id as string;
    },

    /** Files, submits and approves the college's plan (college leader, then student affairs); the approved entries by student number. */
    async approvedPlan(campaignId: string, college: string, entries: unknown[]): Promise<Map<string, { id: string }>> {
      const route = (tail = '') => `/api/visit-campaigns/${campaignId}/plans/${college}${tail}`;
      const filed = await t.request('PUT', route(), { as: who.counselor, body: { entries, implementation: IMPLEMENTATION } });
      expect(filed.status).toBe(201);
      expect((await t.request('POST', route('/submit'), { as: who.counselor })).status).toBe(200);
      expect((await t.request('POST', route('/approve'), { as: who.leader, body: {} })).status).toBe(200);
      const done = await t.request('POST', route('/approve'), { as: who.officer, body: {} });
      expect(done.body.state).toBe('approved');
      return new Map(done.body.approved.entries.map((e: { studentNo: string; id: string }) => [e.studentNo, e]));
    },

    /** Starts the report of an approved entry and saves `content` into its draft; answers the report. */
    async draft(campaignId: string, college: string, entryId: string, content: Record<string, unknown>, as: Credentials = who.counselor) {
      const started = await t.request('POST', '/api/visit-reports', { as, body: { campaign: campaignId, college, entryId } });
      expect([200, 201]).toContain(started.status);
      const saved = await t.request('PATCH', `/api/visit-reports/${started.body.id}`, { as, body: content });
      expect(saved.status).toBe(200);
      return saved.body as { id: string; revision: number; state: string };
    },
  };
}
