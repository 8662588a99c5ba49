// Server-side validation cost of one visit report, as a ratio to a baseline measured in the same run
// (a structured clone of the same data: the least work any validator must do). Writes bench/results/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { validateWithDefinition } = require(path.join(root, 'dist/server/forms/submission-validator.js'));
const zh = JSON.parse(readFileSync(path.join(root, 'forms/i18n/zh.json'), 'utf8'));
const form = JSON.parse(readFileSync(path.join(root, 'forms/visit-report.json'), 'utf8'));

const data = {
  report: '0123456789abcdef01234567:0123456789abcdef01234568:0123456789abcdef01234569', revision: 3, targetType: 'current',
  visitedOn: '2027-01-18T00:00:00+08:00', place: '学生家中', metWith: '赵建国（父亲）',
  orientations: { policy: true, ideology: true, study: false, psychology: false, life: true, growth: false },
  familyState: '父母在外务工，由祖父母照顾。', familyFinances: '家庭年收入约三万元', psychologicalState: '情绪稳定',
  safetyEducation: { life: true, health: false, social: false, travel: true, internet: true, integrity: false },
  aidPolicies: { scholarship: false, grant: true, loan: true, workStudy: false, other: false, tuitionWaiver: false },
  account: '通过视频与家长沟通一小时'.repeat(5), reflections: '家访让我深入了解学生的家庭背景，今后将更有针对性地帮助学生成长。', parentOpinion: '希望学校多关心孩子。',
  followUp: { needed: true, needs: '开学后安排学业辅导' },
  photos: [{ url: 'http://x/api/files/0123456789abcdef01234567', name: 'a.jpg' }, { url: 'http://x/api/files/0123456789abcdef01234568', name: 'b.jpg' }],
};

async function timeIt(label, iterations, fn) {
  for (let i = 0; i < Math.min(50, iterations); i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await fn();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  return { label, iterations, nsPerOp: Math.round(ns) };
}

const baseline = await timeIt('baseline: structuredClone of the data', 20000, async () => structuredClone(data));
const validation = await timeIt('validateWithDefinition(visitReport)', 2000, async () => {
  const outcome = await validateWithDefinition(form.components, data, zh);
  if (outcome.problems.length > 0) throw new Error(JSON.stringify(outcome.problems));
});
const result = {
  date: new Date().toISOString(),
  node: process.version,
  baseline,
  validation,
  ratio: Number((validation.nsPerOp / baseline.nsPerOp).toFixed(1)),
  validationsPerSecond: Math.round(1e9 / validation.nsPerOp),
};
const dir = path.join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'submission-validation.json'), JSON.stringify(result, null, 2));
console.log(`visit-report validation: ${result.ratio}× a structured clone of the same data (${result.validationsPerSecond}/s on this machine) → bench/results/submission-validation.json`);
