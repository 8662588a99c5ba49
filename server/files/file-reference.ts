const OBJECT_ID = /^[0-9a-f]{24}$/;
const FILE_PATH = /^\/api\/files\/([0-9a-f]{24})$/;

/**
 * The stored-file id a Form.io file entry refers to, or undefined when it does not refer to an upload of
 * this service. A `storage: "url"` entry carries the URL our upload answer gave (`…/api/files/<id>`); the
 * id decides, not the host, because the same report is read and re-sent through different addresses
 * (the browser's, n8n's). An entry without a URL may name the id itself (`id` or `data.id`).
 */
export function fileIdOf(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const { url, id, data } = entry as { url?: unknown; id?: unknown; data?: { id?: unknown } };
  if (url !== undefined) return fileIdFromUrl(url);
  const named = id ?? data?.id;
  return typeof named === 'string' && OBJECT_ID.test(named) ? named : undefined;
}

/** The id in a file URL issued by this service: its path must be exactly `/api/files/<id>`. */
export function fileIdFromUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return FILE_PATH.exec(parsed.pathname)?.[1];
}

/** How an entry is named in messages: `第 2 项（IMG_0002.jpg）`. */
export function entryLabel(entry: unknown, index: number): { zh: string; en: string } {
  const { originalName, name, url } = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
  // The name is the sender's text and ends up in an error message rendered by the browser: markup goes.
  const shown = [originalName, name, url].find((v): v is string => typeof v === 'string' && v.trim() !== '')?.replace(/[<>"'`&\x00-\x1f]/g, '');
  const short = shown && shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
  return {
    zh: `第 ${index + 1} 项${short ? `（${short}）` : ''}`,
    en: `entry ${index + 1}${short ? ` (${short})` : ''}`,
  };
}
