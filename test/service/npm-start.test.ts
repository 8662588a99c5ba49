import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, launch, start, stop } from '../support/service-process';

describe('npm start on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hsb-start-'));

  it('is ready on the embedded database, seeds the demo once, and keeps data across restarts', async () => {
    const port = await freePort();
    const first = await start(dataDir, port);
    const base = `http://127.0.0.1:${port}`;
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: true });
    expect(first.output()).toMatch(/^ {2}database +embedded FerretDB/m);
    expect(first.output()).toMatch(new RegExp(`^ {2}open +http://127\\.0\\.0\\.1:${port}/$`, 'm'));
    expect(first.output()).not.toMatch(/Error\b.*\n\s+at /); // no stack trace on a calm start
    const password = /^ {2}password +(\S+) \(shown once/m.exec(first.output())?.[1];
    const apiKey = /^ {2}API key +(hsb_\S+)$/m.exec(first.output())?.[1];
    expect(password).toBeDefined();
    expect(apiKey).toBeDefined();
    expect(first.output()).not.toMatch(/student archives on the embedded database/);
    expect(await stop(first)).toBe(0);

    // Above the embedded database's comfortable size, start-up says so (the demo has more than 3 archives).
    const second = await start(dataDir, port, { HSB_EMBEDDED_STUDENT_LIMIT: '3' });
    expect(second.output()).not.toMatch(/API key/);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    // Every form definition shipped in forms/ is loaded (Form.io lists 10 a page unless asked for more).
    const forms = await fetch(`${base}/form?limit=100`, { headers: { 'X-API-Key': apiKey! } });
    expect(forms.status).toBe(200);
    expect(((await forms.json()) as unknown[]).length).toBe(readdirSync(path.join(__dirname, '../../forms')).filter((f) => f.endsWith('.json')).length);

    const rival = launch(dataDir, await freePort());
    const rivalCode = await new Promise<number | null>((resolve) => rival.child.once('exit', resolve));
    expect(rivalCode).not.toBe(0);
    expect(rival.output()).toMatch(/data folder is in use by another service process/);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const warned = Date.now() + 20_000;
    while (!second.output().includes('warning:') && Date.now() < warned) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(second.output()).toMatch(/warning: [\d,]+ student archives on the embedded database, which stays quick up to about 3; .*MONGODB_URI/);
    expect(second.output()).toMatch(/警告：内置数据库中有 \d+ 份学生档案/);
    expect(await stop(second)).toBe(0);
  }, 240_000);

  it('takes its embedded database down with it when killed, so a restart finds the data folder free', async () => {
    const port = await freePort();
    const first = await start(dataDir, port);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const again = await start(dataDir, port);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    expect(await stop(again)).toBe(0);
  }, 240_000);
});
