import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DestinationPolicy } from './destination-policy';

export class RefusedDestination extends Error {}

/**
 * POSTs a webhook body to an allowed destination. The host is resolved and checked just before
 * connecting, and the connection goes to a checked address only; a redirect is answered as it is
 * (node:http never follows one), so a 3xx cannot lead the service to another host.
 */
export async function postToDestination(
  policy: DestinationPolicy,
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const url = new URL(target);
  const resolved = await policy.resolve(url);
  if ('refusal' in resolved) throw new RefusedDestination(resolved.refusal.en);
  const [first] = resolved.addresses;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, resolved.addresses);
    else callback(null, first!.address, first!.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false, // no pooled connection: each delivery connects to the address checked for it
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
