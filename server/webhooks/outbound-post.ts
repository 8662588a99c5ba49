import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DestinationPolicy } from './destination-policy';

export class RefusedDestination extends Error {}

/**
 * One subscriber's destination, resolved and checked once, with one kept-alive connection to a checked
 * address. A lane opens it for a batch of deliveries and closes it afterwards, so the name is checked
 * again for every batch while the deliveries of a batch share one connection (no handshake per event).
 * A redirect is answered as it is (node:http never follows one), so a 3xx cannot lead elsewhere.
 */
export class PinnedDestination {
  private constructor(
    private readonly url: URL,
    private readonly client: typeof http | typeof https,
    private readonly agent: http.Agent,
  ) {}

  static async open(policy: DestinationPolicy, target: string): Promise<PinnedDestination> {
    const url = new URL(target);
    const resolved = await policy.resolve(url);
    if ('refusal' in resolved) throw new RefusedDestination(resolved.refusal.en);
    const [first] = resolved.addresses;
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, resolved.addresses);
      else callback(null, first!.address, first!.family);
    };
    const secure = url.protocol === 'https:';
    const options = { keepAlive: true, maxSockets: 1, lookup: pinned };
    return new PinnedDestination(url, secure ? https : http, secure ? new https.Agent(options) : new http.Agent(options));
  }

  /** POSTs one body; the HTTP status. */
  async post(headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
    try {
      return await this.attempt(headers, body, timeoutMs);
    } catch (error) {
      // A kept-alive connection the receiver closed while idle fails before the request reached it:
      // that one request goes again on a new connection.
      if ((error as { reusedSocket?: boolean }).reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        return this.attempt(headers, body, timeoutMs);
      }
      throw error;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private attempt(headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const request = this.client.request(
        this.url,
        { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, agent: this.agent, signal: AbortSignal.timeout(timeoutMs) },
        (response) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
      request.end(body);
    });
  }
}
