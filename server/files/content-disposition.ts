/** RFC 5987 `ext-value` characters: everything else is percent-encoded (encodeURIComponent leaves ' ( ) * alone). */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * For clients that ignore `filename*` (RFC 6266 §4.3): the name reduced to letters, digits, `.`, `_` and
 * `-`, e.g. `2024XX0002-陈静-家访-1.jpg` → `2024XX0002-1.jpg`; `file.jpg` when nothing is left.
 */
export function asciiFallback(name: string): string {
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
  const stem = name
    .slice(0, name.length - extension.length)
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return `${stem || 'file'}${extension}`;
}

/** `inline; filename="…"; filename*=UTF-8''…` — the UTF-8 name for browsers, an ASCII one for the rest. */
export function contentDisposition(name: string, type: 'inline' | 'attachment' = 'inline'): string {
  return `${type}; filename="${asciiFallback(name)}"; filename*=UTF-8''${rfc5987(name)}`;
}
