// The scenarios `npm run bench` runs at scale, in this order. This is the place to add one: a scenario is
//   { name, run(ctx) → result }
// where `ctx` holds
//   options  the knobs (options.mjs): seconds/iterations per measured case, quick, events…
//   api      (method, url, body?, expectedStatuses?) → JSON, with the bench's API key
//   db       the same database through the MongoDB driver (one connection, like the service) for baselines
//   school   { colleges, sample students, pick(i) → a student, apiKeyOwner }
//   memory   memory.mark('phase') so the RSS of the service and the database is reported per phase
//   service  { url, pid, apiKey }, database { pid, uri }, log(line)
// and `result` is any JSON with an optional `lines` array (the human summary). Measure every figure
// against a raw baseline in the same run (measure.mjs: measure, compare).
//
// Next one (issue #10): our n8n nodes on 1,000 items vs n8n's HTTP Request node making the same calls item by
// item — run both workflows in-process with n8n-core's WorkflowExecute as test/n8n/engine-harness.ts does
// (build it to JS first, or port its helpers here).
import { contactSubmission } from './contact-submission.mjs';
import { dashboard } from './dashboard.mjs';
import { eventDelivery } from './event-delivery.mjs';
import { letterLaunch } from './letter-launch.mjs';
import { mentoring } from './mentoring.mjs';
import { planFiling } from './plan-filing.mjs';
import { myTasks } from './my-tasks.mjs';
import { studentList } from './student-list.mjs';
import { visitReportSubmission } from './visit-report-submission.mjs';
import { visitStatistics } from './visit-statistics.mjs';

export const scenarios = [
  { name: 'contact-submission', run: contactSubmission },
  { name: 'student-list', run: studentList },
  { name: 'event-delivery', run: eventDelivery },
  { name: 'plan-filing', run: planFiling },
  { name: 'dashboard', run: dashboard },
  { name: 'my-tasks', run: myTasks },
  { name: 'visit-statistics', run: visitStatistics },
  { name: 'visit-report-submission', run: visitReportSubmission },
  { name: 'letter-launch', run: letterLaunch },
  { name: 'mentoring', run: mentoring },
];

/** Adds a scenario (run after the built-in ones). */
export function addScenario(name, run) {
  if (scenarios.some((s) => s.name === name)) throw new Error(`scenario ${name} exists`);
  scenarios.push({ name, run });
}
