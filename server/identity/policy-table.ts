import { READ_SCOPE, RESOURCES } from './policy';
import { ROLE_NAMES, ROLES } from './roles';

const SCOPE_WORDS = { school: 'school', college: 'college', assigned: 'own students', lookup: 'by name', own: 'own', none: '—' } as const;

/** The read-scope table as Markdown, as the README states it (a test keeps the two equal). */
export function readScopeMarkdown(): string {
  const header = `| Role | ${RESOURCES.join(' | ')} |`;
  const rule = `| --- | ${RESOURCES.map(() => '---').join(' | ')} |`;
  const rows = ROLE_NAMES.map((role) => `| \`${role}\` ${ROLES[role].zh} | ${RESOURCES.map((r) => SCOPE_WORDS[READ_SCOPE[role][r]]).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
