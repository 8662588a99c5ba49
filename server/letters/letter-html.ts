import sanitizeHtml from 'sanitize-html';

/** Pictures of a letter are uploads (`POST /api/files`), referenced by their download path. */
export const LETTER_PICTURE = /^\/api\/files\/([0-9a-f]{24})$/;

/**
 * The rich text of a letter or a college section, reduced to what a letter needs: paragraphs, headings,
 * emphasis, lists, quotes, simple tables, links out and pictures uploaded here. Scripts, styles, event
 * handlers and foreign images are dropped, so a parent's page shows only what staff wrote.
 */
export function sanitizeLetterHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'blockquote', 'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'span'],
    allowedAttributes: { a: ['href', 'rel', 'target'], img: ['src', 'alt'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['https', 'http'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !LETTER_PICTURE.test(frame.attribs.src ?? ''),
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  }).trim();
}

/** The picture ids a letter refers to (the parent's page serves only these). */
export function pictureIdsOf(html: string): string[] {
  const ids = new Set<string>();
  for (const match of html.matchAll(/<img [^>]*src="\/api\/files\/([0-9a-f]{24})"/g)) ids.add(match[1]!);
  return [...ids];
}

/** Plain text of a letter (its length is checked; SMS and previews quote its start). */
export function plainText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
