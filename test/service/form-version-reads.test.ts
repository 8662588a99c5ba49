import mongoose from 'mongoose';
import { formVersion, latestVersion } from '../../server/forms/form-catalog';
import { startTestService, type TestService } from '../support/test-service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t.stop();
});

describe('form versions are read from the database once per process', () => {
  it('serves a version read before without asking the database again, each caller with its own copy', async () => {
    const latest = await latestVersion('contactLog');
    expect(latest).not.toBeNull();
    const id = latest!._id;
    const first = await formVersion(id);
    (first!.components as Array<{ key: string }>)[0]!.key = 'changedByOneRequest';

    // Versions never change once stored; were this read to reach the database, it would find nothing.
    const forms = mongoose.connection.collection('forms');
    const stored = await forms.findOne({ _id: id });
    await forms.deleteOne({ _id: id });
    try {
      const second = await formVersion(id);
      expect(second?.path).toBe('contactLog');
      expect((second!.components as Array<{ key: string }>)[0]!.key).not.toBe('changedByOneRequest');
      expect(second!.components).toEqual(stored!.components);
    } finally {
      await forms.insertOne(stored!);
    }
  });

  it('reads a version it has not seen from the database, and answers null for one that does not exist', async () => {
    const forms = mongoose.connection.collection('forms');
    const latest = await forms.findOne({ path: 'award' }, { sort: { version: -1 } });
    const copy = { ...latest!, _id: new mongoose.Types.ObjectId(), version: latest!.version + 10, hash: 'direct' };
    await forms.insertOne(copy);
    expect((await formVersion(copy._id))?.version).toBe(copy.version);
    expect(await formVersion(new mongoose.Types.ObjectId())).toBeNull();
  });
});
