import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Addresses that are not on the public internet: loopback, private, link-local, shared, reserved. */
const NON_PUBLIC: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export interface DestinationRefusal {
  en: string;
  zh: string;
}

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Parses one `HSB_WEBHOOK_ALLOWED_HOSTS` entry; returns a problem text when it is none of the forms. */
export function allowListEntryProblem(entry: string): string | undefined {
  const [address, bits, extra] = entry.split('/');
  if (extra === undefined && address && isIP(address)) {
    if (bits === undefined) return undefined;
    const max = isIP(address) === 4 ? 32 : 128;
    if (/^\d{1,3}$/.test(bits) && Number(bits) <= max) return undefined;
  }
  if (bits === undefined && /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/i.test(entry)) return undefined;
  return `"${entry}" is not a host name, *.domain, IP address or CIDR range / 不是主机名、*.域名、IP 地址或 CIDR 网段`;
}

/**
 * Where webhooks may be delivered. `HSB_WEBHOOK_ALLOWED_HOSTS` lists host names (`n8n.example.edu`),
 * domains (`*.example.edu`), addresses and ranges (`127.0.0.1`, `10.20.0.0/16`). Empty: any host whose
 * addresses are all public. Set: only listed hosts, or hosts whose addresses are all in listed ranges.
 * Either way a loopback, private or link-local address is refused unless its address or range is
 * listed — naming a host does not allow its internal address (the name could be re-pointed).
 */
export class DestinationPolicy {
  private readonly names: string[] = [];
  private readonly domains: string[] = [];
  private readonly ranges = new BlockList();
  private readonly hasRanges: boolean;
  private readonly nonPublic = new BlockList();

  constructor(allowList: readonly string[]) {
    let hasRanges = false;
    for (const raw of allowList) {
      const entry = raw.trim().toLowerCase();
      const [address, bits] = entry.split('/');
      if (address && isIP(address)) {
        hasRanges = true;
        if (bits === undefined) this.ranges.addAddress(address, family(address));
        else this.ranges.addSubnet(address, Number(bits), family(address));
      } else if (entry.startsWith('*.')) {
        this.domains.push(entry.slice(1));
      } else if (entry) {
        this.names.push(entry);
      }
    }
    this.hasRanges = hasRanges;
    for (const [address, bits, type] of NON_PUBLIC) this.nonPublic.addSubnet(address, bits, type);
  }

  private get restricted(): boolean {
    return this.names.length > 0 || this.domains.length > 0 || this.hasRanges;
  }

  private nameListed(hostname: string): boolean {
    return this.names.includes(hostname) || this.domains.some((suffix) => hostname.endsWith(suffix));
  }

  private rangeListed(address: string): boolean {
    return this.ranges.check(address, family(address));
  }

  /** Why delivering to this host at these addresses is refused, or undefined when it is allowed. */
  refusal(hostname: string, addresses: readonly string[]): DestinationRefusal | undefined {
    const host = hostname.toLowerCase();
    if (addresses.length === 0) return { en: `${host} does not resolve to any address`, zh: `无法解析主机 ${host}` };
    if (this.restricted && !this.nameListed(host) && !addresses.every((a) => this.rangeListed(a))) {
      return { en: `${host} is not in HSB_WEBHOOK_ALLOWED_HOSTS`, zh: `${host} 不在允许的回调主机（HSB_WEBHOOK_ALLOWED_HOSTS）之列` };
    }
    const internal = addresses.find((a) => this.nonPublic.check(a, family(a)) && !this.rangeListed(a));
    if (internal) {
      return {
        en: `${host} resolves to ${internal}, a loopback, private or link-local address (allow it in HSB_WEBHOOK_ALLOWED_HOSTS)`,
        zh: `${host} 指向内网、本机或链路本地地址 ${internal}（如确需使用，请在 HSB_WEBHOOK_ALLOWED_HOSTS 中允许）`,
      };
    }
    return undefined;
  }

  /**
   * Resolves the URL's host now and checks every address. Delivery connects to exactly the addresses
   * checked here, so a name re-pointed to an internal address between check and connect (DNS
   * rebinding) is never reached.
   */
  async resolve(url: URL): Promise<{ addresses: Array<{ address: string; family: number }> } | { refusal: DestinationRefusal }> {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string; family: number }>;
    if (isIP(hostname)) {
      addresses = [{ address: hostname, family: isIP(hostname) }];
    } else {
      try {
        addresses = await lookup(hostname, { all: true, verbatim: true });
      } catch {
        addresses = [];
      }
    }
    const refusal = this.refusal(hostname, addresses.map((a) => a.address));
    return refusal ? { refusal } : { addresses };
  }
}
