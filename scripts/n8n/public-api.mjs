// A small client for n8n's public REST API (/api/v1, authenticated with an n8n API key in X-N8N-API-KEY).
// Every failure is an Error that carries n8n's own message and the HTTP status.

export function publicApi(n8nUrl, apiKey) {
  const base = `${n8nUrl.replace(/\/+$/, '')}/api/v1`;
  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { 'X-N8N-API-KEY': apiKey, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new Error(`n8n at ${n8nUrl} cannot be reached (${error.cause?.code ?? error.message}); is it running?`);
    }
    const text = await response.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const message = typeof parsed === 'object' && parsed?.message ? parsed.message : text || response.statusText;
      const hint = response.status === 401 ? ' (check --n8n-api-key: Settings → n8n API in the n8n editor)' : '';
      throw new Error(`n8n answered ${method} ${path} with HTTP ${response.status}: ${message}${hint}`);
    }
    return parsed;
  }

  /** Every item of a cursor-paged listing. */
  async function all(path) {
    const items = [];
    let cursor;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = await call('GET', `${path}${separator}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    all,
  };
}
