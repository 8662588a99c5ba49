/** Staff roles. College-scoped roles only act within their own college. */
export const ROLES = {
  counselor: { zh: '辅导员', collegeScoped: true },
  academicMentor: { zh: '学业导师', collegeScoped: true },
  growthMentor: { zh: '成长导师', collegeScoped: true },
  teacher: { zh: '教师', collegeScoped: true },
  collegeLeader: { zh: '院系领导/秘书', collegeScoped: true },
  studentAffairs: { zh: '学工部', collegeScoped: false },
  schoolLeader: { zh: '校领导', collegeScoped: false },
  admin: { zh: '系统管理员', collegeScoped: false },
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export const PERMISSIONS = [
  'forms:read',
  'forms:manage',
  'submissions:create',
  'submissions:read',
  'submissions:update',
  'sensitive:read',
  'files:upload',
  'students:read',
  'students:write',
  'students:import',
  'apiKeys:manage',
  'users:manage',
  'audit:read',
  'webhooks:manage',
  'contacts:write',
  'cases:raise',
  'cases:manage',
  'cases:escalate',
  'awards:record',
  'visits:read',
  'visits:manage',
  'visitPlans:write',
  'visitPlans:approve',
  'visitPlans:relay',
  'dashboards:read',
  'letters:read',
  'letters:manage',
  'letters:section',
  'feedback:respond',
  'mentoring:log',
  'mentoring:propose',
  'mentoring:approve',
  'mentoring:relay',
  'support:read',
  'aidTeam:manage',
  'funders:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF: Permission[] = ['forms:read', 'submissions:create', 'submissions:read', 'submissions:update', 'files:upload', 'students:read', 'contacts:write', 'cases:raise', 'visits:read', 'letters:read', 'feedback:respond', 'mentoring:log'];
const LIAISON: Permission[] = ['cases:manage', 'awards:record'];

/**
 * What each role may do. Sensitive personal information (A4) is need-to-know: the counselor who looks
 * after the student, college leaders and the student-affairs office — not teachers or mentors.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  counselor: [...STAFF, ...LIAISON, 'sensitive:read', 'students:write', 'visitPlans:write', 'dashboards:read', 'mentoring:propose', 'support:read'],
  academicMentor: STAFF,
  growthMentor: STAFF,
  teacher: STAFF,
  collegeLeader: [...STAFF, ...LIAISON, 'sensitive:read', 'students:write', 'students:import', 'visitPlans:write', 'visitPlans:approve', 'dashboards:read', 'letters:section', 'mentoring:propose', 'mentoring:approve', 'support:read', 'aidTeam:manage'],
  studentAffairs: [...STAFF, ...LIAISON, 'cases:escalate', 'sensitive:read', 'students:write', 'students:import', 'forms:manage', 'apiKeys:manage', 'audit:read', 'webhooks:manage', 'visits:manage', 'visitPlans:approve', 'visitPlans:relay', 'dashboards:read', 'letters:manage', 'letters:section', 'mentoring:propose', 'mentoring:approve', 'mentoring:relay', 'support:read', 'aidTeam:manage', 'funders:manage'],
  schoolLeader: ['forms:read', 'submissions:read', 'students:read', 'cases:raise', 'visits:read', 'dashboards:read', 'letters:read', 'support:read'],
  admin: [...PERMISSIONS],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && value in ROLES;
}
