/**
 * Where a sealed form value belongs in the submission data. A value's place is its Form.io data path
 * (`household.familyFinances`, `members[0].income`); stored as a key of the `sealed` map it is written
 * with `/` instead of `.`, because MongoDB paths (and FerretDB documents) do not allow dots in keys.
 */
export type PathSegment = string | number;

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d+\])*)$/;

export function storageKeyOf(dataPath: string): string {
  return dataPath.split('.').join('/');
}

export function dataPathOf(storageKey: string): string {
  return storageKey.split('/').join('.');
}

/** `members[0]/kids[1]/illness` → `['members', 0, 'kids', 1, 'illness']`; undefined for anything else. */
export function segmentsOf(storageKey: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  for (const part of storageKey.split('/')) {
    const match = SEGMENT.exec(part);
    if (!match) return undefined;
    segments.push(match[1]!);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** The object or array that holds the last segment, or undefined when the path does not exist. */
export function parentAt(data: Record<string, unknown>, segments: PathSegment[]): Container | undefined {
  let node: unknown = data;
  for (const segment of segments.slice(0, -1)) {
    if (!isContainer(node)) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return isContainer(node) ? node : undefined;
}

/** Puts a value at a path, creating the rows and objects on the way when they are missing. */
export function setAt(data: Record<string, unknown>, segments: PathSegment[], value: unknown): void {
  let node: Record<PathSegment, unknown> = data;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    if (!isContainer(node[segment])) node[segment] = typeof segments[i + 1] === 'number' ? [] : {};
    node = node[segment] as Record<PathSegment, unknown>;
  });
}
