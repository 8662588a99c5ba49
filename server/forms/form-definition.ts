import { createHash } from 'node:crypto';
import type { Component } from '@formio/core';
import { Utils } from '@formio/core';
import { problems, type FieldProblem } from '../http/problem';

/** The parts of a Form.io form JSON that the service keeps per version. */
export interface FormDefinition {
  path: string;
  title: string;
  name: string;
  display: string;
  components: Component[];
  settings: Record<string, unknown>;
}

/** Stable hash of what matters in a definition (key order does not count). */
export function definitionHash(definition: FormDefinition): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    }
    return value;
  };
  const { title, name, display, components, settings } = definition;
  return createHash('sha256').update(JSON.stringify(canonical({ title, name, display, components, settings }))).digest('hex');
}

const KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9]*$/;

/** Checks a definition before it becomes a version: shape, ASCII camelCase keys, no duplicate keys. */
export function parseDefinition(raw: unknown, where: string): FormDefinition {
  const issues: FieldProblem[] = [];
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const path = body.path;
  if (typeof path !== 'string' || !/^[a-zA-Z][a-zA-Z0-9]{1,60}$/.test(path)) {
    issues.push({ path: 'path', message: '表单路径必须是字母开头的 ASCII 字母数字', messageEn: 'path must be ASCII letters/digits starting with a letter', rule: 'pattern' });
  }
  if (typeof body.title !== 'string' || body.title.trim() === '') {
    issues.push({ path: 'title', message: '表单标题为必填项', messageEn: 'title is required', rule: 'required' });
  }
  if (!Array.isArray(body.components) || body.components.length === 0) {
    issues.push({ path: 'components', message: '表单至少需要一个组件', messageEn: 'components must be a non-empty array', rule: 'required' });
  } else {
    const seen = new Set<string>();
    Utils.eachComponent(body.components as Component[], (component: Component) => {
      if (!component.input || component.type === 'button') return;
      if (!component.key || !KEY_PATTERN.test(component.key)) {
        issues.push({ path: `components.${component.key ?? '?'}`, message: `字段键 "${component.key}" 必须是 ASCII 驼峰命名`, messageEn: `component key "${component.key}" must be ASCII camelCase`, rule: 'pattern' });
      } else if (seen.has(component.key)) {
        issues.push({ path: `components.${component.key}`, message: `字段键 "${component.key}" 重复`, messageEn: `duplicate component key "${component.key}"`, rule: 'unique' });
      }
      if (component.key) seen.add(component.key);
    }, true);
  }
  if (issues.length > 0) {
    const error = problems.validation(issues);
    error.message = `${where}: ${issues.map((i) => i.messageEn).join('; ')}`;
    throw error;
  }
  return {
    path: path as string,
    title: (body.title as string).trim(),
    name: typeof body.name === 'string' && body.name ? body.name : (path as string),
    display: typeof body.display === 'string' ? body.display : 'form',
    components: body.components as Component[],
    settings: (body.settings && typeof body.settings === 'object' ? body.settings : {}) as Record<string, unknown>,
  };
}

/** Keys of file components (their uploads are linked to the submission that references them). */
export function fileKeys(components: Component[]): string[] {
  const keys: string[] = [];
  Utils.eachComponent(components, (component: Component) => {
    if (component.type === 'file' && component.key) keys.push(component.key);
  }, true);
  return keys;
}
