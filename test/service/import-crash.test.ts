import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, start, stop } from '../support/service-process';

/** A roster of new students of the demo's 机械工程系 (JX), as CSV. */
function roster(rows: number): string {
  const lines = ['学号,姓名,性别,出生日期,院系代码,专业,年级,班级,监护人姓名,监护人关系,监护人电话'];
  for (let i = 1; i <= rows; i += 1) {
    lines.push(`2025ZZ${String(i).padStart(5, '0')},新生${i},${i % 2 ? '男' : '女'},2007-0${(i % 9) + 1}-1${i % 9},JX,数控技术,2025,数控${(i % 20) + 1}班,家长${i},母亲,139${String(i).padStart(8, '0')}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('A5 a roster import killed part-way (kill -9 of the service)', () => {
  it('is undone when the service starts again: nothing of it is kept, and the job says why', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-import-crash-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(dataDir, port);
    const password = /^ {2}password +(\S+) \(shown once/m.exec(first.output())![1]!;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const form = new FormData();
    form.append('file', new Blob([roster(6_000)], { type: 'text/csv' }), '2025级新生.csv');
    const started = await fetch(`${base}/api/students/imports`, { method: 'POST', headers: { Cookie: cookie }, body: form });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };

    // Kill it while it writes, once part of the roster is in.
    for (;;) {
      const job = (await (await fetch(`${base}/api/students/imports/${id}`, { headers: { Cookie: cookie } })).json()) as { status: string; progress: number };
      expect(['queued', 'validating', 'writing']).toContain(job.status);
      if (job.status === 'writing' && job.progress >= 60) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const again = await start(dataDir, port, { HSB_UNFINISHED_WORK_MS: '1000' });
    expect(again.output()).toMatch(/roster import .* was interrupted: \d+ archive\(s\) undone/);
    const relogin = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const cookie2 = relogin.headers.get('set-cookie')!.split(';')[0]!;
    const job = (await (await fetch(`${base}/api/students/imports/${id}`, { headers: { Cookie: cookie2 } })).json()) as { status: string; failure: string };
    expect(job.status).toBe('failed');
    expect(job.failure).toMatch(/中断.*撤销/);
    const imported = (await (await fetch(`${base}/api/students?q=2025ZZ&limit=1`, { headers: { Cookie: cookie2 } })).json()) as { total: number };
    expect(imported.total).toBe(0);
    expect(await stop(again)).toBe(0);
  }, 240_000);
});
