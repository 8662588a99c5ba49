import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, start, stop, type Started } from '../support/service-process';
import { LETTER_HTML, letterDeadline } from '../support/letter-campaign';

/** New students of the demo's 机械工程系 (JX) as CSV; every tenth pair are siblings sharing a phone. */
function roster(rows: number): string {
  const lines = ['学号,姓名,性别,出生日期,院系代码,专业,年级,班级,监护人姓名,监护人关系,监护人电话'];
  for (let i = 1; i <= rows; i += 1) {
    const phone = i % 10 === 2 ? i - 1 : i;
    lines.push(`2025LX${String(i).padStart(5, '0')},新生${i},${i % 2 ? '男' : '女'},2007-0${(i % 9) + 1}-1${i % 9},JX,数控技术,2025,数控${(i % 20) + 1}班,家长${i},母亲,139${String(phone).padStart(8, '0')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function login(base: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

describe('B6 a letter launch killed part-way (kill -9 of the service)', () => {
  const running: Started[] = [];
  afterAll(async () => {
    for (const service of running) await stop(service);
  });

  it('ends, once the service is started again, with exactly one letter per family', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-letter-crash-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(dataDir, port);
    running.push(first);
    const password = /^ {2}password +(\S+) \(shown once/m.exec(first.output())![1]!;
    let cookie = await login(base, password);
    const get = async (route: string) => (await fetch(`${base}${route}`, { headers: { Cookie: cookie } })).json() as Promise<Record<string, unknown>>;
    const post = (route: string, body: unknown) => fetch(`${base}${route}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const form = new FormData();
    form.append('file', new Blob([roster(4_000)], { type: 'text/csv' }), '2025级新生.csv');
    const imported = await fetch(`${base}/api/students/imports`, { method: 'POST', headers: { Cookie: cookie }, body: form });
    const importId = ((await imported.json()) as { id: string }).id;
    while ((await get(`/api/students/imports/${importId}`)).status !== 'completed') await new Promise((r) => setTimeout(r, 500));

    const created = await post('/api/letter-campaigns', { title: '秋季学期致家长的一封信', term: 'autumn', html: LETTER_HTML, feedbackDueAt: letterDeadline(20), audience: { colleges: ['JX'], grades: ['2025'] } });
    const { id } = (await created.json()) as { id: string };
    const audience = (await get(`/api/letter-campaigns/${id}/audience`)) as { families: number; students: number };
    // The demo's own 2025 students of JX are in the audience too; the roster adds 4,000 students in 3,600 families.
    const everyone = (await get('/api/students?college=JX&grade=2025&limit=1')) as { total: number };
    expect(everyone.total).toBeGreaterThan(4_000);
    expect(audience.students).toBe(everyone.total);
    expect(audience.families).toBeGreaterThanOrEqual(3_600);
    expect((await post(`/api/letter-campaigns/${id}/launch`, {})).status).toBe(202);
    for (;;) {
      const progress = (await get(`/api/letter-campaigns/${id}/progress`)) as { created: number; lettersCreated: boolean };
      expect(progress.lettersCreated).toBe(false);
      if (progress.created >= 300) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const service = await start(dataDir, port);
    running.push(service);
    cookie = await login(base, password);
    const deadline = Date.now() + 120_000;
    let progress = (await get(`/api/letter-campaigns/${id}/progress`)) as { created: number; families: number; lettersCreated: boolean };
    while (!progress.lettersCreated && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      progress = (await get(`/api/letter-campaigns/${id}/progress`)) as typeof progress;
    }
    expect(progress).toMatchObject({ lettersCreated: true, families: audience.families, created: audience.families });
    const letters = (await get(`/api/family-letters?campaign=${id}&limit=1`)) as { total: number };
    expect(letters.total).toBe(audience.families);
    // Launching once more changes nothing.
    expect((await post(`/api/letter-campaigns/${id}/launch`, {})).status).toBe(202);
    expect(((await get(`/api/family-letters?campaign=${id}&limit=1`)) as { total: number }).total).toBe(audience.families);
    expect(await stop(service)).toBe(0);
  }, 300_000);
});
