/**
 * A letter link's secret never reaches a log: in `/l/<token>` and `/api/parent-letters/<token>/…` the part
 * after the letter id is replaced (the letter id alone opens nothing and helps to trace a request).
 */
export function redactLetterToken(url: string): string {
  return url.replace(/^(\/l\/|\/api\/parent-letters\/)([^/?#]*)/i, (_whole, prefix: string, token: string) => {
    const id = /^[0-9a-f]{24}(?=\.)/.exec(token)?.[0];
    return `${prefix}${id ? `${id}.` : ''}[redacted]`;
  });
}
