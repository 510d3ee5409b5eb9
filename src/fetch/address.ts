/**
 * Which IP addresses a fetch may connect to (issue 6: server-side request forgery).
 *
 * URLs from untrusted interfaces must not reach the operator's own network or a
 * cloud metadata service. The check runs inside the socket's DNS lookup, so the
 * address that was checked is the address that is connected to: a name that
 * resolves to a public IP for the check and to 127.0.0.1 a moment later (DNS
 * rebinding) cannot slip through.
 */
import dns from 'node:dns';
import net from 'node:net';

export type LookupAddress = { address: string; family: number };

/** The shape of `dns.lookup` as `net.connect` calls it. Tests inject one to fake DNS. */
export type LookupFunction = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export const defaultLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => callback(err, addresses ?? []));
};

/** Error code carried by a refused address through undici back to the fetcher. */
export const BLOCKED_ADDRESS_CODE = 'ERR_REDLINE_BLOCKED_ADDRESS';

interface Range {
  bytes: number[];
  prefix: number;
  label: string;
}

function v4(cidr: string, label: string): Range {
  const [ip, prefix] = cidr.split('/');
  return { bytes: parseIPv4(ip!)!, prefix: Number(prefix), label: `${label} (${cidr})` };
}

function v6(cidr: string, label: string): Range {
  const [ip, prefix] = cidr.split('/');
  return { bytes: parseIPv6(ip!)!, prefix: Number(prefix), label: `${label} (${cidr})` };
}

const V4_RANGES: Range[] = [
  v4('0.0.0.0/8', '"this network"'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local / cloud metadata'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', '6to4 relay'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const V6_RANGES: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::/96', 'IPv4-compatible (deprecated)'),
  v6('64:ff9b:1::/48', 'local-use NAT64'),
  v6('100::/64', 'discard-only'),
  v6('2001::/32', 'Teredo tunnel'),
  v6('2001:db8::/32', 'documentation'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local (deprecated)'),
  v6('ff00::/8', 'multicast'),
];

/** IPv6 prefixes that carry an IPv4 address: judged by the IPv4 address inside. */
const V6_EMBEDDING: { range: Range; offset: number }[] = [
  { range: v6('::ffff:0:0/96', 'IPv4-mapped'), offset: 12 },
  { range: v6('64:ff9b::/96', 'NAT64'), offset: 12 },
  { range: v6('2002::/16', '6to4'), offset: 2 },
];

export function parseIPv4(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

export function parseIPv6(ip: string): number[] | undefined {
  const address = ip.replace(/%.*$/, '');
  if (net.isIPv6(address) === false) return undefined;
  const halves = address.split('::');
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const part of s.split(':')) {
      if (part.includes('.')) {
        const b = parseIPv4(part);
        if (!b) return undefined;
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else {
        out.push(parseInt(part, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length > 1 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const fill = halves.length > 1 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  if (all.length !== 8) return undefined;
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

/**
 * Why `ip` must not be fetched from an untrusted URL, or undefined when it is a
 * public address. Anything that does not parse as an IP is refused too.
 */
export function blockedReason(ip: string): string | undefined {
  const b4 = parseIPv4(ip);
  if (b4) return V4_RANGES.find((r) => inRange(b4, r))?.label;
  const b6 = parseIPv6(ip);
  if (!b6) return `not an IP address (${JSON.stringify(ip)})`;
  for (const { range, offset } of V6_EMBEDDING) {
    if (inRange(b6, range)) {
      const inner = b6.slice(offset, offset + 4).join('.');
      const why = blockedReason(inner);
      return why ? `${range.label} form of ${inner}: ${why}` : undefined;
    }
  }
  return V6_RANGES.find((r) => inRange(b6, r))?.label;
}

/** The IP a URL hostname names literally ("[::1]" → "::1"), or undefined for a DNS name. */
export function literalIp(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : undefined;
}

export function blockedAddressError(hostname: string, ip: string, reason: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(
    `${hostname} resolves to ${ip}, a ${reason} address; private targets are refused for untrusted URLs`,
  );
  err.code = BLOCKED_ADDRESS_CODE;
  return err;
}

function normalise(address: string | LookupAddress[], family?: number): LookupAddress[] {
  if (Array.isArray(address)) return address;
  return address ? [{ address, family: family ?? (net.isIPv6(address) ? 6 : 4) }] : [];
}

/** Why an address must not be connected to, or undefined when it may be. */
export type AddressPolicy = (ip: string) => string | undefined;

/**
 * Wrap a lookup for use as the socket's `lookup`: answers in whichever form the
 * caller asked for (`all` or a single address) and, when a `policy` is given,
 * drops every address it refuses and fails when none is left.
 */
export function guardedLookup(base: LookupFunction, policy: AddressPolicy | undefined): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, address, family) => {
      if (err) return callback(err, options.all ? [] : '', 0);
      let list = normalise(address, family);
      if (list.length === 0) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname} (no addresses)`);
        notFound.code = 'ENOTFOUND';
        return callback(notFound, options.all ? [] : '', 0);
      }
      if (policy) {
        const allowed = list.filter((a) => policy(a.address) === undefined);
        if (allowed.length === 0) {
          const first = list[0]!;
          return callback(blockedAddressError(hostname, first.address, policy(first.address)!), [], 0);
        }
        list = allowed;
      }
      if (options.family === 4 || options.family === 6) {
        const wanted = list.filter((a) => a.family === options.family);
        if (wanted.length > 0) list = wanted;
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
