import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { FieldCipher } from '../../server/security/field-cipher';
import { rotateKeys, type WriteGuard } from '../../server/security/key-rotation';
import { startTestService, type Credentials, type TestService } from '../support/test-service';

const KEY_A = randomBytes(32);
const KEY_B = randomBytes(32);
const KEY_C = randomBytes(32);
const everyKey = new FieldCipher(KEY_A, [KEY_B, KEY_C]);

let t: TestService;
let counselor: Credentials;

async function sealedMedicalHistory(studentNo: string): Promise<unknown> {
  const raw = await mongoose.connection.collection('students').findOne({ studentNo });
  return everyKey.decrypt(raw?.sealed.medicalHistory as string);
}

beforeAll(async () => {
  // The service writes with key A and can read whatever the rotation runs below write with B or C.
  t = await startTestService({ HSB_ENCRYPTION_KEY: KEY_A.toString('base64'), HSB_ENCRYPTION_PREVIOUS_KEYS: `${KEY_B.toString('base64')},${KEY_C.toString('base64')}` });
  counselor = await t.staff('counselor', await t.college('A'));
  for (const studentNo of ['2024CC0001', '2024CC0002']) {
    const created = await t.request('POST', '/api/students', {
      as: counselor,
      body: { studentNo, name: '测试', gender: 'female', birthDate: '2006-01-01', college: 'A', major: '护理', grade: '2024', className: '护理1班', counselor: counselor.username, medicalHistory: `原始病史 ${studentNo}` },
    });
    expect(created.status).toBe(201);
  }
});
afterAll(async () => {
  await t.stop();
});

describe('key rotation never overwrites a change made while it runs', () => {
  it.each<[WriteGuard, Buffer, Buffer[]]>([
    ['filter', KEY_B, [KEY_A]],
    ['reread', KEY_C, [KEY_A, KEY_B]],
  ])('with the %s guard', async (guard, current, previous) => {
    const edit = `编辑于轮换期间（${guard}）`;
    let edited = false;
    const report = await rotateKeys(new FieldCipher(current, previous), {
      guard,
      progressEvery: 1,
      // Both archives were read in the cursor's first batch; the second is changed through the API
      // after the first was rewritten and before the rotation reaches it.
      onProgress: async (progress) => {
        if (progress.store !== 'Student' || edited) return;
        edited = true;
        const change = await t.request('PATCH', '/api/students/2024CC0002', { as: counselor, body: { medicalHistory: edit } });
        expect(change.status).toBe(200);
      },
    });
    expect(edited).toBe(true);
    expect(await sealedMedicalHistory('2024CC0002')).toBe(edit);
    expect(await sealedMedicalHistory('2024CC0001')).toBe('原始病史 2024CC0001');
    expect(report.stillNeeded).toEqual({});
    const student = await t.request('GET', '/api/students/2024CC0002', { as: counselor });
    expect(student.body.medicalHistory).toBe(edit);
  });
});
