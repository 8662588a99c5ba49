import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { INodeExecutionData } from 'n8n-workflow';
import { LETTER_HTML, launchedLetter, letterDeadline, lettersCreated, sendAllLetters, tokenOf } from '../support/letter-campaign';
import { seedArchives } from '../support/seed-archives';
import { startTestService, type Credentials, type TestService } from '../support/test-service';
import { chain, runWorkflow } from './engine-harness';

/**
 * The Term Letter (致家长的一封信) node in n8n's engine against the real service: a campaign written,
 * launched and read back; the SMS outbox taken out batch by batch and every outcome recorded through the
 * node (one failure with its reason) until the campaign opens; the reminders handed out once; closing.
 * Then the parents' feedback sent through the letter's page, handled through the node (respond, follow
 * through, close; closing too early is the service's 409) and the campaign's report read back.
 */

type N8nCredentials = Record<string, { baseUrl: string; apiKey: string }>;

let t: TestService;
let A: Types.ObjectId;
let officer: Credentials;
let asOfficer: N8nCredentials;
let asResponder: N8nCredentials;

const SMS_FAMILIES = 120;
const PRINT_FAMILIES = 5;
const node = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'termLetter', parameters: { resource: 'campaign', ...parameters }, continueOnFail });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

beforeAll(async () => {
  // The parents' page is limited per address; every parent here answers from the test's one address.
  t = await startTestService({ HSB_LETTER_RATE_LIMIT: '1000' });
  A = await t.college('A');
  officer = await t.staff('studentAffairs');
  // 120 families with a phone of their own (two SMS batches: 100 and 20), 5 without (printed letters).
  await seedArchives(A, 'TL', SMS_FAMILIES + PRINT_FAMILIES, (i) => ({
    guardians: i < SMS_FAMILIES ? [{ name: `家长${i}`, relation: '父亲', phone: `1350000${String(i).padStart(4, '0')}` }] : [],
  }));
  const key = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n', scopes: ['letters:read', 'letters:manage'] } });
  expect(key.status).toBe(201);
  asOfficer = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: key.body.apiKey } };
  const responder = await t.request('POST', '/api/api-keys', { as: officer, body: { name: 'n8n feedback', scopes: ['letters:read', 'feedback:respond'] } });
  expect(responder.status).toBe(201);
  asResponder = { homeSchoolBridgeApi: { baseUrl: t.url, apiKey: responder.body.apiKey } };
}, 120_000);
afterAll(async () => {
  await t.stop();
});

describe('Term Letter (致家长的一封信) node on the n8n engine', () => {
  let campaignId: string;
  let firstBatch: string[] = [];

  it('creates a letter (deadline in Beijing time, audience and channels), launches it and reads it back', async () => {
    const result = await runWorkflow(
      chain(
        node('Create', {
          operation: 'create', title: '2026 秋季学期致家长的一封信', term: 'autumn', html: LETTER_HTML,
          // What n8n's date picker writes: wall time without an offset.
          feedbackDueAt: letterDeadline(20).replace(' ', 'T') + ':00',
          additionalFields: { colleges: 'A', channels: ['sms', 'print'], reminderAfterDays: 0, responseDays: 3 },
        }),
        node('Launch', { operation: 'launch', campaignId: '={{ $json.id }}' }),
        node('Get', { operation: 'get', campaignId: '={{ $json.id }}' }),
      ),
      { credentials: asOfficer },
    );
    expect(result.error()).toBeUndefined();
    const [created] = json(result.output('Create'));
    expect(created).toMatchObject({ state: 'draft', title: '2026 秋季学期致家长的一封信', reminderAfterDays: 0, responseDays: 3 });
    expect(json(result.output('Launch'))[0]!.state).toBe('sending');
    campaignId = String(created!.id);
    expect(json(result.output('Get'))[0]!.id).toBe(campaignId);
    const progress = await lettersCreated(t, officer, campaignId);
    expect(progress).toMatchObject({ families: SMS_FAMILIES + PRINT_FAMILIES, created: SMS_FAMILIES + PRINT_FAMILIES, print: PRINT_FAMILIES });
  });

  it('takes the SMS outbox out batch by batch and records every outcome, one failure with its reason, until the campaign opens', async () => {
    const sendOnce = () =>
      runWorkflow(
        chain(
          node('Next batch', { operation: 'getOutbox', campaignId, channel: 'sms' }),
          // What the send workflow does after the SMS gateway: each item's own outcome.
          node('Record', { operation: 'recordDeliveries', campaignId: '={{ $json.campaign }}', letter: '={{ $json.letter }}', state: '={{ $itemIndex === 0 ? "failed" : "sent" }}', error: '={{ $itemIndex === 0 ? "号码已停机" : "" }}' }),
        ),
        { credentials: asOfficer },
      );
    const first = await sendOnce();
    expect(first.error()).toBeUndefined();
    const batch = json(first.output('Next batch'));
    expect(batch).toHaveLength(100);
    expect(batch[0]).toMatchObject({ campaign: campaignId, channel: 'sms' });
    expect(String(batch[0]!.link)).toMatch(/\/l\/[0-9a-f]{24}\.[A-Za-z0-9_-]+$/);
    expect(String(batch[0]!.text)).toContain(String(batch[0]!.link));
    expect(new Set(batch.map((b) => b.letter)).size).toBe(100);
    firstBatch = batch.map((b) => String(b.letter));
    // One request for the whole batch, paired with every item it reports.
    const recorded = first.output('Record');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.json).toMatchObject({ campaign: campaignId, letters: 100, recorded: 100 });
    expect((recorded[0]!.pairedItem as Array<{ item: number }>).length).toBe(100);

    const second = await sendOnce();
    expect(json(second.output('Next batch'))).toHaveLength(SMS_FAMILIES - 100);
    expect(json(second.output('Record'))[0]).toMatchObject({ letters: SMS_FAMILIES - 100, recorded: SMS_FAMILIES - 100 });

    const third = await sendOnce();
    expect(third.error()).toBeUndefined();
    expect(third.output('Next batch')).toHaveLength(0);
    expect(third.output('Record')).toHaveLength(0);

    const progress = await runWorkflow(chain(node('Progress', { operation: 'getProgress', campaignId })), { credentials: asOfficer });
    expect(json(progress.output('Progress'))[0]).toMatchObject({ campaign: campaignId, state: 'open', pending: 0, sent: SMS_FAMILIES - 2, failed: 2, print: PRINT_FAMILIES });
    const many = await runWorkflow(chain(node('Open letters', { operation: 'getMany', state: 'open', returnAll: true })), { credentials: asOfficer });
    expect(json(many.output('Open letters')).map((c) => c.id)).toContain(campaignId);
  });

  it('a wrong outcome stops the node naming it, or comes back as an error item under Continue On Fail', async () => {
    const wrong = (continueOnFail: boolean) =>
      runWorkflow(chain(node('Record', { operation: 'recordDeliveries', campaignId, letter: firstBatch[1], state: 'lost', error: '' }, continueOnFail)), { credentials: asOfficer });
    const stopped = await wrong(false);
    expect(stopped.status).toBe('error');
    expect(stopped.error()?.message).toContain('"lost"');
    const kept = await wrong(true);
    expect(json(kept.output('Record'))[0]!.error).toContain('sent, delivered or failed');
    // A letter of no campaign: the service's field message reaches the node.
    const unknown = await runWorkflow(chain(node('Record', { operation: 'recordDeliveries', campaignId, letter: '0123456789abcdef01234567', state: 'sent', error: '' }, true)), { credentials: asOfficer });
    expect(String(json(unknown.output('Record'))[0]!.description)).toContain('不是本次信件中的一封');
  });

  it('hands the families due a reminder out once (100 a run), then closes the campaign', async () => {
    const remind = () => runWorkflow(chain(node('Reminders', { operation: 'getReminders', campaignId })), { credentials: asOfficer });
    const first = json((await remind()).output('Reminders'));
    expect(first).toHaveLength(100);
    expect(first[0]).toMatchObject({ campaign: campaignId, channel: 'sms' });
    expect(String(first[0]!.text)).toContain('您还没有阅读');
    const second = json((await remind()).output('Reminders'));
    // 120 sent, 2 failed: 118 families due a reminder, none twice.
    expect(second).toHaveLength(SMS_FAMILIES - 2 - 100);
    expect(new Set([...first, ...second].map((r) => r.letter)).size).toBe(SMS_FAMILIES - 2);
    expect((await remind()).output('Reminders')).toHaveLength(0);

    const closed = await runWorkflow(chain(node('Close', { operation: 'close', campaignId })), { credentials: asOfficer });
    expect(json(closed.output('Close'))[0]!.state).toBe('closed');
  });
});

describe('Term Letter feedback (家长反馈) and report on the n8n engine', () => {
  const feedbackNode = (name: string, parameters: Record<string, unknown>, continueOnFail = false) => ({ name, type: 'termLetter', parameters: { resource: 'feedback', ...parameters }, continueOnFail });
  let runs = 0;
  /** Every run its own execution id: the node's writes are keyed by it (Idempotency-Key). */
  const run = (workflow: ReturnType<typeof chain>, credentials = asResponder) => runWorkflow(workflow, { credentials, executionId: `feedback-${Date.now()}-${(runs += 1)}` });
  let campaignId: string;
  let sent: number;
  let created: number;
  let links: Array<{ link: string }> = [];
  const ticketOf: Record<string, string> = {};

  beforeAll(async () => {
    const launched = await launchedLetter(t, officer, { audience: { colleges: ['A'] } });
    campaignId = launched.id;
    created = launched.progress.created;
    links = [...(await sendAllLetters(t, officer, campaignId)).values()];
    sent = links.length;
    // Two families read their letter and answer on its page: one on two topics (wishing a call), one on one.
    const answers = [
      { link: links[0]!.link, items: [{ topic: 'teaching', text: '希望多布置一些实践作业' }, { topic: 'safety', text: '宿舍晚归管理请再严格些' }], contactWish: { wanted: true, phone: '13500000000', when: '工作日晚上' } },
      { link: links[1]!.link, items: [{ topic: 'studentLife', text: '食堂菜品可以更丰富' }] },
    ];
    for (const answer of answers) {
      const token = tokenOf(answer.link);
      expect((await t.request('GET', `/api/parent-letters/${token}`)).status).toBe(200);
      const posted = await t.request('POST', `/api/parent-letters/${token}/feedback`, { body: { submissionId: randomUUID(), items: answer.items, ...(answer.contactWish ? { contactWish: answer.contactWish } : {}) } });
      expect(posted.status).toBe(201);
    }
  }, 120_000);

  it('Get Many finds the parents’ feedback as tickets, one per topic, owned by the letter’s writer', async () => {
    const found = await run(chain(feedbackNode('Feedback', { operation: 'getMany', filters: { campaign: campaignId, state: 'open' }, returnAll: true })));
    expect(found.error()).toBeUndefined();
    const tickets = json(found.output('Feedback'));
    expect(tickets.map((x) => x.topic).sort()).toEqual(['safety', 'studentLife', 'teaching']);
    for (const ticket of tickets) {
      expect(ticket).toMatchObject({ campaign: campaignId, state: 'open', owner: { id: String(officer.userId) }, routedBy: 'campaignOwner', missing: ['response', 'followThrough'] });
      ticketOf[String(ticket.topic)] = String(ticket.id);
    }
    expect(tickets.find((x) => x.topic === 'teaching')).toMatchObject({ text: '希望多布置一些实践作业', contactWish: { wanted: true, phone: '13500000000' } });
    // A limit reads no more than asked; a campaign filter of no feedback finds none.
    const one = await run(chain(feedbackNode('Feedback', { operation: 'getMany', filters: { campaign: campaignId }, returnAll: false, limit: 1 })));
    expect(one.output('Feedback')).toHaveLength(1);
    const none = await run(chain(feedbackNode('Feedback', { operation: 'getMany', filters: { campaign: campaignId, state: 'closed' }, returnAll: true })));
    expect(none.output('Feedback')).toHaveLength(0);
  });

  it('closing a feedback answered but not yet acted upon stops with the service’s 409, or is an error item under Continue On Fail', async () => {
    const responded = await run(chain(feedbackNode('Respond', { operation: 'respond', ticketId: ticketOf.teaching, text: '感谢建议，下学期每门课增加一次实践作业。' })));
    expect(responded.error()).toBeUndefined();
    expect(json(responded.output('Respond'))[0]).toMatchObject({ id: ticketOf.teaching, state: 'responded', missing: ['followThrough'], responses: [{ text: '感谢建议，下学期每门课增加一次实践作业。', by: String(officer.userId) }] });

    const stopped = await run(chain(feedbackNode('Close', { operation: 'close', ticketId: ticketOf.teaching })));
    expect(stopped.status).toBe('error');
    expect(stopped.error()?.message).toContain('尚未记录落实情况');
    expect(stopped.error()?.message).toContain('no follow-through recorded');
    expect((stopped.error() as Error & { httpCode?: string }).httpCode).toBe('409');
    const kept = await run(chain(feedbackNode('Close', { operation: 'close', ticketId: ticketOf.teaching }, true)));
    expect(kept.status).not.toBe('error');
    const [item] = json(kept.output('Close'));
    expect(String(item!.error)).toContain('不能办结');
    expect(String(item!.description)).toContain('followThrough');
  });

  it('records the follow-through, closes the feedback and reads it back closed', async () => {
    const done = await run(
      chain(
        feedbackNode('Follow-through', { operation: 'recordFollowThrough', ticketId: ticketOf.teaching, text: '已与教务处商定，各课程增加实践作业。' }),
        feedbackNode('Close', { operation: 'close', ticketId: '={{ $json.id }}' }),
        feedbackNode('Get', { operation: 'get', ticketId: '={{ $json.id }}' }),
      ),
    );
    expect(done.error()).toBeUndefined();
    expect(json(done.output('Follow-through'))[0]).toMatchObject({ id: ticketOf.teaching, state: 'responded', missing: [], canClose: true, followThrough: [{ text: '已与教务处商定，各课程增加实践作业。' }] });
    expect(json(done.output('Close'))[0]).toMatchObject({ id: ticketOf.teaching, state: 'closed', closedBy: String(officer.userId) });
    expect(json(done.output('Get'))[0]).toMatchObject({ id: ticketOf.teaching, state: 'closed', stateLabel: '已办结', topic: 'teaching' });
    // Only responding is left for another: the safety feedback is answered, not yet acted upon.
    const answered = await run(chain(feedbackNode('Respond', { operation: 'respond', ticketId: ticketOf.safety, text: '已转宿管中心。' })));
    expect(json(answered.output('Respond'))[0]!.state).toBe('responded');
  });

  it('Reassign hands a feedback to another staff member by username; one who is not staff is the service’s 400 on the owner', async () => {
    const counselor = await t.staff('counselor', A);
    const moved = await run(chain(feedbackNode('Reassign', { operation: 'reassign', ticketId: ticketOf.studentLife, owner: counselor.username })), asOfficer);
    expect(moved.error()).toBeUndefined();
    expect(json(moved.output('Reassign'))[0]).toMatchObject({ id: ticketOf.studentLife, owner: { id: String(counselor.userId) }, routedBy: 'reassigned' });
    const refused = await run(chain(feedbackNode('Reassign', { operation: 'reassign', ticketId: ticketOf.studentLife, owner: 'nobody-here' }, true)), asOfficer);
    const [item] = json(refused.output('Reassign'));
    expect(String(item!.error)).toContain('Some fields are invalid');
    expect(String(item!.description)).toContain('owner');
    expect(String(item!.description)).toContain('负责人');
    // Handed back, so the figures below count the campaign owner's feedback.
    const back = await run(chain(feedbackNode('Reassign', { operation: 'reassign', ticketId: ticketOf.studentLife, owner: officer.username })), asOfficer);
    expect(back.error()?.message).toBeUndefined();
  });

  it('Campaign Get Report answers the figures of what the parents and the staff did', async () => {
    const report = await run(chain(node('Report', { operation: 'getReport', campaignId })), asOfficer);
    expect(report.error()).toBeUndefined();
    const [figures] = json(report.output('Report'));
    expect(figures).toMatchObject({
      campaign: { id: campaignId, state: 'open' },
      college: null,
      totals: { letters: created, sent, opened: 2, answered: 2, tickets: 3, closedWithFollowThrough: 1, closedShare: 33.3, unfinished: 2, responded: 2 },
    });
    const topics = Object.fromEntries((figures!.topics as Array<{ topic: string }>).map((x) => [x.topic, x]));
    expect(topics.teaching).toMatchObject({ tickets: 1, closed: 1 });
    expect(topics.safety).toMatchObject({ tickets: 1, responded: 1 });
    expect(topics.studentLife).toMatchObject({ tickets: 1, open: 1 });
    expect(figures!.owners).toEqual([expect.objectContaining({ id: String(officer.userId), unfinished: 2, overdue: 0 })]);
    // The same report of college A, and as the workbook.
    const ofA = await run(chain(node('Report', { operation: 'getReport', campaignId, college: 'A' })), asOfficer);
    expect(json(ofA.output('Report'))[0]).toMatchObject({ college: { code: 'A' }, totals: { tickets: 3, answered: 2 } });
    const xlsx = await run(chain(node('Report', { operation: 'getReport', campaignId, output: 'xlsx', binaryPropertyName: 'report' })), asOfficer);
    expect(xlsx.error()).toBeUndefined();
    const [file] = xlsx.output('Report');
    expect(file!.json).toMatchObject({ campaign: campaignId, college: null });
    expect(Number(file!.json.bytes)).toBeGreaterThan(1000);
    expect(file!.binary?.report?.mimeType).toContain('spreadsheetml');
  });

  it('Get Many reads past one page (100) in the service’s order, and filters by owner and overdue', async () => {
    // 21 more families answer on all five topics: 105 more tickets, 108 in all.
    const topics = ['teaching', 'studentLife', 'safety', 'finances', 'other'];
    for (const { link } of links.slice(2, 23)) {
      const posted = await t.request('POST', `/api/parent-letters/${tokenOf(link)}/feedback`, { body: { submissionId: randomUUID(), items: topics.map((topic) => ({ topic, text: `关于${topic}的建议` })) } });
      expect(posted.status).toBe(201);
    }
    const getMany = async (filters: Record<string, unknown>, page: { returnAll: boolean; limit?: number } = { returnAll: true }) =>
      json((await run(chain(feedbackNode('Feedback', { operation: 'getMany', filters: { campaign: campaignId, ...filters }, ...page })))).output('Feedback'));
    const all = await getMany({});
    expect(all).toHaveLength(108);
    expect(new Set(all.map((x) => x.id)).size).toBe(108);
    // Earliest due first, then by id: the order the service pages in.
    const order = all.map((x) => `${String(new Date(String(x.dueAt)).getTime()).padStart(15, '0')}|${String(x.id)}`);
    expect(order).toEqual([...order].sort());
    const some = await getMany({}, { returnAll: false, limit: 150 });
    expect(some.map((x) => x.id)).toEqual(all.map((x) => x.id));
    const first101 = await getMany({}, { returnAll: false, limit: 101 });
    expect(first101.map((x) => x.id)).toEqual(all.slice(0, 101).map((x) => x.id));
    expect(await getMany({ state: 'open' })).toHaveLength(108 - 2);
    expect(await getMany({ owner: 'me' })).toHaveLength(108);
    expect(await getMany({ overdue: true })).toHaveLength(0);
  });
});
