import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Credentials, TestService } from './test-service';

/** Real file heads (what content-type.ts sniffs) followed by random bytes, so that every call differs. */
export const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
export const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
export const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);
export const mp4 = () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(200)]);

/** A day relative to today in Asia/Shanghai (`-3` → three days ago). */
export const shanghaiDay = (offset: number): string => DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days: offset }).toISODate()!;

/** An open campaign whose visit window holds today, so that a visit may be reported as made today. */
export async function openCampaignAroundToday(t: TestService, officer: Credentials, colleges: string[]): Promise<string> {
  const created = await t.request('POST', '/api/visit-campaigns', {
    as: officer,
    body: { title: '寒假家访', break: 'winter', visitStartsOn: shanghaiDay(-10), visitEndsOn: shanghaiDay(30), planDueAt: `${shanghaiDay(5)} 12:00`, colleges },
  });
  if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${JSON.stringify(created.body)}`);
  const opened = await t.request('POST', `/api/visit-campaigns/${created.body.id}/open`, { as: officer });
  if (opened.status !== 200) throw new Error(`campaign not opened: ${opened.status} ${JSON.stringify(opened.body)}`);
  return created.body.id as string;
}

/** Starts the report of an unplanned visit of `student` (student number) as `as`; answers the report. */
export async function startUnplanned(t: TestService, as: Credentials, campaign: string, student: string, mode: string): Promise<{ id: string; revision: number }> {
  const started = await t.request('POST', '/api/visit-reports', { as, body: { campaign, student, reason: '学生家中突发变故，临时走访', mode } });
  if (started.status !== 201 && started.status !== 200) throw new Error(`report not started: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body;
}

export interface Uploaded {
  url: string;
  id: string;
  name: string;
  originalName: string;
  size: number;
  type: string;
}

export async function upload(t: TestService, as: Credentials, content: Buffer, name: string): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  const response = await fetch(`${t.url}/api/files`, { method: 'POST', headers: { Cookie: as.cookie! }, body: form });
  if (response.status !== 201) throw new Error(`upload refused: ${response.status}`);
  return (await response.json()) as Uploaded;
}

/** The entry @formio/js's file component (storage "url") puts into the submission for an upload. */
export function fileEntry(t: TestService, u: Uploaded) {
  return { storage: 'url', name: u.name, url: u.url, size: u.size, type: u.type, data: { ...u, baseUrl: t.url, project: '', form: '' }, originalName: u.originalName, hash: '' };
}

/**
 * A complete visit report as the visit-report form (`visitReport`) sends it for report `report`: the
 * form's keys are the report's content keys; select-boxes are objects of ticks, files Form.io entries.
 */
export function visitReportData(report: { id: string; revision?: number }, photos: unknown[], media: unknown[] = []): Record<string, unknown> {
  return {
    report: report.id,
    ...(report.revision !== undefined ? { revision: report.revision } : {}),
    visitedOn: `${shanghaiDay(-1)}T00:00:00+08:00`,
    place: '学生家中',
    metWith: '陈建国（父亲）',
    orientations: { policy: true, ideology: true, study: false, psychology: false, life: false, growth: false },
    familyState: '家庭和睦，父母务农，经济一般。',
    safetyEducation: { life: false, health: false, social: false, travel: true, internet: true, integrity: false },
    aidPolicies: { scholarship: false, grant: true, loan: true, workStudy: false, other: false, tuitionWaiver: false },
    account: '到学生家中走访，与父母面谈两小时，介绍学校资助政策和学生在校表现，家长表示理解支持，并希望学校继续关注学生学业。',
    reflections: '家访让我更了解学生的成长环境，今后将更有针对性地开展工作。',
    parentOpinion: '希望学校多关注孩子的学业。',
    followUp: { needed: false },
    photos,
    media,
  };
}

const IMPLEMENTATION = { organization: '学院统一部署', schedule: '分批开展', safety: '结伴出行，保持通讯畅通' };

/** A plan entry of `student` visited by `visitors` (their usernames). */
export const planEntry = (student: string, mode: string, visitors: Credentials[], extra: Record<string, unknown> = {}) => ({ student, mode, kind: 'general', visitors: visitors.map((v) => ({ user: v.username })), ...extra });

/**
 * Files `college`'s plan as its counselor, submits it, has the college leader and student affairs approve
 * it; answers the approved entries by student number.
 */
export async function approvedPlan(t: TestService, campaign: string, college: string, people: { counselor: Credentials; leader: Credentials; officer: Credentials }, entries: unknown[]): Promise<Map<string, { id: string }>> {
  const route = `/api/visit-campaigns/${campaign}/plans/${college}`;
  const filed = await t.request('PUT', route, { as: people.counselor, body: { entries, implementation: IMPLEMENTATION } });
  if (filed.status !== 201) throw new Error(`plan not filed: ${filed.status} ${JSON.stringify(filed.body)}`);
  let answer = await t.request('POST', `${route}/submit`, { as: people.counselor });
  for (const as of [people.leader, people.officer]) {
    if (answer.status !== 200) break;
    answer = await t.request('POST', `${route}/approve`, { as, body: {} });
  }
  if (answer.status !== 200 || answer.body.state !== 'approved') throw new Error(`plan not approved: ${answer.status} ${JSON.stringify(answer.body)}`);
  const plan = answer;
  return new Map(plan.body.approved.entries.map((e: { studentNo: string; id: string }) => [e.studentNo, e]));
}
