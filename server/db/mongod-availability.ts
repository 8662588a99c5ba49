import net from 'node:net';
import { DryMongoBinary } from 'mongodb-memory-server-core';
import { resolveConfig, ResolveConfigVariables } from 'mongodb-memory-server-core/lib/util/resolveConfig';

export type MongodAvailability =
  | { available: true; download: boolean }
  | { available: false; reason: string };

const PROBE_TIMEOUT_MS = 800;

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides in well under a second whether the embedded mongod can run here: a mongod binary already on
 * this machine (mongodb-memory-server's cache or MONGOMS_SYSTEM_BINARY), or a reachable download mirror.
 * Offline school intranets get a quick "no" instead of a long download attempt.
 */
export async function mongodAvailability(): Promise<MongodAvailability> {
  const version = resolveConfig(ResolveConfigVariables.VERSION);
  if (version && (await DryMongoBinary.locateBinary({ version }).catch(() => undefined))) {
    return { available: true, download: false };
  }
  const mirror = new URL(resolveConfig(ResolveConfigVariables.DOWNLOAD_MIRROR) ?? 'https://fastdl.mongodb.org');
  const port = Number(mirror.port || (mirror.protocol === 'http:' ? 80 : 443));
  if (await canConnect(mirror.hostname, port, PROBE_TIMEOUT_MS)) return { available: true, download: true };
  return { available: false, reason: `no mongod on this machine and its download site ${mirror.hostname} is out of reach (offline)` };
}
