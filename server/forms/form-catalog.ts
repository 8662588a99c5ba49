import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Types } from 'mongoose';
import { problems } from '../http/problem';
import { definitionHash, parseDefinition, type FormDefinition } from './form-definition';
import { FormModel } from './form.model';

export async function latestVersion(formPath: string) {
  return FormModel.findOne({ path: formPath }).sort({ version: -1 });
}

/**
 * Stores a definition as the next version of its form, unless the latest version has the same content.
 * Returns the version that now represents the definition.
 */
export async function saveVersion(definition: FormDefinition, source: 'file' | 'builder', createdBy?: Types.ObjectId) {
  const hash = definitionHash(definition);
  const latest = await latestVersion(definition.path);
  if (latest && latest.hash === hash) return { form: latest, created: false };
  try {
    const form = await FormModel.create({ ...definition, version: (latest?.version ?? 0) + 1, hash, source, createdBy });
    return { form, created: true };
  } catch (error) {
    if ((error as { code?: number }).code === 11000) {
      throw problems.conflict('The form changed meanwhile; reload and save again', '表单已被他人修改，请刷新后重新保存');
    }
    throw error;
  }
}

/** Loads every forms/*.json at start; a changed file becomes a new version, an unchanged one is left alone. */
export async function syncFormsFromDirectory(formsDir: string, log: (message: string) => void): Promise<void> {
  const files = readdirSync(formsDir).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const raw = JSON.parse(readFileSync(path.join(formsDir, file), 'utf8')) as unknown;
    const definition = parseDefinition(raw, file);
    const { form, created } = await saveVersion(definition, 'file');
    if (created) log(`form ${form.path} v${form.version} loaded from ${file}`);
  }
}
