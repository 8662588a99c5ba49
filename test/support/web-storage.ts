/**
 * The Form.io SDK keeps its token and user in Web Storage (`localStorage`, `sessionStorage`), which
 * browsers — and Node ≥ 22 with `--localstorage-file` — provide. Node 20 has none, so a test running
 * the real SDK in Node supplies this in-memory one (the standard Storage interface, nothing else).
 */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();

  get length(): number {
    return this.items.size;
  }

  clear(): void {
    this.items.clear();
  }

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }

  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

/**
 * What the SDK needs from a browser to keep a session in Node 20: Web Storage, and an (empty) cookie
 * string. The cookie is read by `Formio.getUser` (@formio/core sdk/Formio.js) whenever no user is stored
 * yet — it parses `''` as JSON, fails, and falls back to `document.cookie` via browser-cookies — which
 * happens on every sign-in, because storing a token makes the SDK ask `/current` for its user.
 */
export function installWebStorage(): void {
  const scope = globalThis as { localStorage?: Storage; sessionStorage?: Storage; document?: unknown };
  scope.localStorage ??= new MemoryStorage();
  scope.sessionStorage ??= new MemoryStorage();
  scope.document ??= { cookie: '' };
}
