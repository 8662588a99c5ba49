import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HydratedDocument, Types } from 'mongoose';
import { problems } from '../http/problem';
import { definitionHash, parseDefinition, type FormDefinition } from './form-definition';
import { FormModel, type FormVersion } from './form.model';

/**
 * Versions never change once stored, so each is read from the database once per process: a version's
 * document is large (its components) and a read costs ≈ 4 ms on the embedded engine, on every submission.
 * Each caller gets its own copy, so that nothing one request does to a definition reaches another.
 */
const VERSIONS_KEPT = 200;
const versions = new Map<string, FormVersion & { _id: Types.ObjectId }>();

function keep(form: HydratedDocument<FormVersion>): void {
  const id = String(form._id);
  if (versions.has(id)) return;
  if (versions.size >= VERSIONS_KEPT) versions.delete(versions.keys().next().value!);
  versions.set(id, form.toObject());
}

function copyOf(kept: FormVersion & { _id: Types.ObjectId }): HydratedDocument<FormVersion> {
  return FormModel.hydrate({ ...kept, components: structuredClone(kept.components), settings: structuredClone(kept.settings) });
}

/** One version by its `_id`, read once per process (versions are kept as they are read, not as they are saved). */
export async function formVersion(id: Types.ObjectId | string): Promise<HydratedDocument<FormVersion> | null> {
  const kept = versions.get(String(id));
  if (kept) return copyOf(kept);
  const form = await FormModel.findById(id);
  if (form) keep(form);
  return form;
}

/**
 * Which version of each form is the latest, as this process last read it, and when. Every submission
 * and every page that renders a form asks for the latest version by path: a query by path is a pass over
 * every version of every form on the embedded engine (≈ 30 ms), a read by `_id` is not. Versions never
 * change once stored, so only "which one is latest" can go stale: a version saved in this process shows
 * at once, one saved by another replica within a second.
 */
const LATEST_FRESH_MS = 1_000;
const latestIds = new Map<string, { at: number; id: Types.ObjectId; version: number }>();

/** Remembers `form` as the latest of its path unless a later version is known already (a slow read ending after a save). */
function remember(form: { _id: Types.ObjectId; path: string; version: number }, at: number): void {
  const known = latestIds.get(form.path);
  if (!known || form.version >= known.version) latestIds.set(form.path, { at, id: form._id, version: form.version });
}

function readLatest(formPath: string) {
  return FormModel.findOne({ path: formPath }).sort({ version: -1 });
}

export async function latestVersion(formPath: string) {
  const known = latestIds.get(formPath);
  if (known && Date.now() - known.at <= LATEST_FRESH_MS) {
    const form = await formVersion(known.id);
    if (form) return form;
  }
  const at = Date.now();
  const form = await readLatest(formPath);
  if (form) {
    remember(form, at);
    keep(form);
  }
  else latestIds.delete(formPath);
  return form;
}

/**
 * Stores a definition as the next version of its form, unless the latest version has the same content.
 * Returns the version that now represents the definition.
 */
export async function saveVersion(definition: FormDefinition, source: 'file' | 'builder', createdBy?: Types.ObjectId) {
  const hash = definitionHash(definition);
  const latest = await readLatest(definition.path);
  if (latest && latest.hash === hash) return { form: latest, created: false };
  try {
    const form = await FormModel.create({ ...definition, version: (latest?.version ?? 0) + 1, hash, source, createdBy });
    remember(form, Date.now());
    return { form, created: true };
  } catch (error) {
    if ((error as { code?: number }).code === 11000) {
      // Another process stored the next version: the reload the answer asks for must see it.
      latestIds.delete(definition.path);
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
