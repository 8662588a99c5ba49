import type { Actor } from '../identity/actor';
import { can } from '../identity/policy';
import type { Permission } from '../identity/roles';

export interface NavigationEntry {
  href: string;
  zh: string;
  en: string;
  /** Shown only to actors with this permission; none: every signed-in member of staff. */
  permission?: Permission;
}

/** The workspace's sections, in menu order. Pages of a section check the same permission through the API. */
export const NAVIGATION: readonly NavigationEntry[] = [
  { href: '/', zh: '我的待办', en: 'My tasks' },
  { href: '/students', zh: '学生档案', en: 'Students', permission: 'students:read' },
  { href: '/dashboard', zh: '数据看板', en: 'Dashboard', permission: 'dashboards:read' },
  { href: '/visits', zh: '家访', en: 'Home visits', permission: 'visits:read' },
  { href: '/visits/mine', zh: '我的家访', en: 'My visits', permission: 'contacts:write' },
  { href: '/letters', zh: '致家长的一封信', en: 'Letters to parents', permission: 'letters:read' },
  { href: '/mentoring', zh: '结对帮扶', en: 'Mentoring groups', permission: 'mentoring:log' },
  { href: '/forms', zh: '表单', en: 'Forms', permission: 'forms:read' },
  { href: '/audit', zh: '审计', en: 'Audit', permission: 'audit:read' },
];

/** What the menu shows this actor: the one policy module decides, the pages only render it. */
export function navigationFor(actor: Actor): NavigationEntry[] {
  return NAVIGATION.filter((entry) => !entry.permission || can(actor, entry.permission)).map(({ href, zh, en }) => ({ href, zh, en }));
}
