import { Formio } from '@formio/js/sdk';
import { hashToken } from '../../server/identity/secrets';
import { SessionModel } from '../../server/identity/session.model';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { installWebStorage } from '../support/web-storage';

// The real Form.io SDK (the `Formio` class that @formio/js exports for Node) against the real service:
// no adapter, no plugin, no request hook — only the browser storage the SDK expects to find.
installWebStorage();

type SdkError = {
  name?: string;
  message?: string;
  networkError?: boolean;
  messageZh?: string;
  messageEn?: string;
  details?: Array<{ path: string; message: string; messageEn: string; level: string; context: { key: string; path: string } }>;
};
type Listing = Array<{ _id: string; data: Record<string, unknown> }> & { serverCount?: number | '*'; skip?: number; limit?: number };

const feedback = { studentName: '李娜', parentName: '李军', satisfaction: 'satisfied', opinions: '希望加强安全教育', wantsReply: 'yes' };

let t: TestService;
let counselor: Credentials;

function nextEvent(name: string): Promise<unknown> {
  return new Promise((resolve) => Formio.events.once(name, resolve));
}

async function signInWithSdk(who: Credentials): Promise<unknown> {
  const user = nextEvent('formio.user');
  await Formio.request(`${t.url}/api/auth/login`, 'POST', { username: who.username, password: who.password });
  return user;
}

async function rejection(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

beforeAll(async () => {
  t = await startTestService();
  counselor = await t.staff('counselor', await t.college('XX'));
  Formio.setBaseUrl(t.url);
  Formio.setProjectUrl(t.url);
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => {
  Formio.clearCache();
});

describe('the Form.io SDK against the service, with no glue code', () => {
  it('signs in: the SDK stores the x-jwt-token of the login answer, sends it, and loads the user from /current', async () => {
    expect(Formio.getToken()).toBe('');
    const user = (await signInWithSdk(counselor)) as { _id: string; username: string; data: { role: string } };
    expect(Formio.getToken()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(user).toMatchObject({ _id: String(counselor.userId), username: counselor.username, data: { role: 'counselor' } });
    const fresh = (await Formio.currentUser(undefined, { ignoreCache: true })) as { username: string; via: string };
    expect(fresh).toMatchObject({ username: counselor.username, via: 'user' });
  });

  it('loads a form by its alias', async () => {
    const form = (await new Formio(`${t.url}/form/termLetterFeedback`).loadForm()) as { path: string; _id: string; components: unknown[] };
    expect(form.path).toBe('termLetterFeedback');
    expect(form._id).toMatch(/^[0-9a-f]{24}$/);
    expect(form.components.length).toBeGreaterThan(3);
  });

  it('creates a submission, updates it, and loads it back', async () => {
    const formio = new Formio(`${t.url}/form/termLetterFeedback`);
    const created = (await formio.saveSubmission({ data: feedback })) as { _id: string; data: typeof feedback };
    expect(created._id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.data.studentName).toBe('李娜');

    const updated = (await formio.saveSubmission({ _id: created._id, data: { ...feedback, opinions: '希望多组织家长会' } })) as { _id: string; data: typeof feedback };
    expect(updated._id).toBe(created._id);

    const loaded = (await new Formio(`${t.url}/form/termLetterFeedback/submission/${created._id}`).loadSubmission()) as { data: typeof feedback };
    expect(loaded.data.opinions).toBe('希望多组织家长会');
  });

  it('reads the total of a listing from Content-Range (serverCount), also when a page or the form is empty', async () => {
    const formio = new Formio(`${t.url}/form/termLetterFeedback`);
    await formio.saveSubmission({ data: { ...feedback, studentName: '王芳' } });
    await formio.saveSubmission({ data: { ...feedback, studentName: '张伟' } });

    const page = (await formio.loadSubmissions({ params: { limit: 2, skip: 1 } })) as Listing;
    expect(page).toHaveLength(2);
    expect(page.serverCount).toBe(3);
    expect(page.skip).toBe(1);
    expect(page.limit).toBe(2);

    const beyond = (await formio.loadSubmissions({ params: { limit: 2, skip: 10 } })) as Listing;
    expect(beyond).toHaveLength(0);
    expect(beyond.serverCount).toBe(3);

    const none = (await new Formio(`${t.url}/form/award`).loadSubmissions()) as Listing;
    expect(none).toHaveLength(0);
    expect(none.serverCount).toBe(0);
  });

  it('rejects an invalid submission with the ValidationError itself: details on the right paths, not a network error', async () => {
    const error = await rejection(new Formio(`${t.url}/form/termLetterFeedback`).saveSubmission({ data: { ...feedback, studentName: '', parentPhone: '12345' } }));
    expect(error.networkError).toBeUndefined();
    expect(error.message).toBeUndefined();
    expect(error.name).toBe('ValidationError');
    expect(error).toMatchObject({ messageZh: '部分字段填写有误', messageEn: 'Some fields are invalid' });
    const byPath = Object.fromEntries(error.details!.map((d) => [d.path, d]));
    expect(byPath.studentName).toMatchObject({ level: 'error', message: '学生姓名为必填项', context: { key: 'studentName', path: 'studentName' } });
    expect(byPath.parentPhone).toMatchObject({ level: 'error', message: '联系电话应为 11 位手机号或带区号的固定电话', context: { key: 'parentPhone' } });
    expect(byPath.studentName!.messageEn).toMatch(/is required/);
    expect(byPath.parentPhone!.messageEn).toMatch(/does not match the pattern/);
  });

  it('an update that breaks a rule is rejected the same way', async () => {
    const formio = new Formio(`${t.url}/form/termLetterFeedback`);
    const created = (await formio.saveSubmission({ data: feedback })) as { _id: string };
    const error = await rejection(formio.saveSubmission({ _id: created._id, data: { ...feedback, satisfaction: 'delighted' } }));
    expect(error.networkError).toBeUndefined();
    expect(error.details!.map((d) => d.path)).toEqual(['satisfaction']);
  });

  it('logs out through the SDK: the token is forgotten by the SDK and refused by the service', async () => {
    const token = Formio.getToken() as string;
    await Formio.logout();
    expect(Formio.getToken()).toBe('');
    const after = await t.request('GET', '/api/auth/me', { headers: { 'x-jwt-token': token } });
    expect(after.status).toBe(401);
  });

  it('an expired token is answered 440, and the SDK ends its session (formio.sessionExpired)', async () => {
    await signInWithSdk(counselor);
    const token = Formio.getToken() as string;
    await SessionModel.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    const expired = nextEvent('formio.sessionExpired');
    const error = await rejection(new Formio(`${t.url}/form/termLetterFeedback`).loadSubmissions());
    await expired;
    expect(Formio.getToken()).toBe('');
    // Errors other than a submission's ValidationError keep our problem shape; the SDK wraps their message.
    expect(error.message).toMatch(/登录已过期.*session has expired/);
  });

  it('an unknown token is answered 401 (formio.unauthorized); signing in again still works', async () => {
    const unauthorized = nextEvent('formio.unauthorized');
    // Storing a token makes the SDK ask /current for its user, which already fails.
    await rejection(Formio.setToken('not-a-session-token-of-this-service') as Promise<unknown>);
    await unauthorized;
    const again = nextEvent('formio.unauthorized');
    await rejection(new Formio(`${t.url}/form/termLetterFeedback`).loadSubmissions());
    await again;
    await signInWithSdk(counselor);
    const list = (await new Formio(`${t.url}/form/termLetterFeedback`).loadSubmissions()) as Listing;
    expect(list.serverCount).toBeGreaterThan(0);
  });
});

describe('sign-in over HTTP', () => {
  it('returns the session token in x-jwt-token (exposed to scripts) and accepts it like the cookie', async () => {
    const login = await t.request('POST', '/api/auth/login', { body: { username: counselor.username, password: counselor.password } });
    const token = login.headers.get('x-jwt-token')!;
    expect(login.headers.get('access-control-expose-headers')).toMatch(/x-jwt-token/i);
    expect(login.headers.get('set-cookie')).toContain(encodeURIComponent(token));
    const me = await t.request('GET', '/api/auth/me', { headers: { 'x-jwt-token': token } });
    expect(me.body).toMatchObject({ username: counselor.username, via: 'user' });
  });
});
