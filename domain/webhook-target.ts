/**
 * Where a webhook may be sent. An agency types the URL, and the worker calls it from inside the
 * province's network: without a rule, a webhook is a way to make the worker call the machine it
 * runs on, the internal network or the cloud's metadata service. So a target is refused when its
 * address is loopback, unspecified, private, link-local, multicast, broadcast, reserved or a
 * metadata service, in any notation (IPv4, IPv6, IPv4 inside IPv6), unless the operator allowed
 * its range (DONDOC_WEBHOOK_ALLOW) for a receiver on the premises. Metadata services are refused
 * even then. Pure: the worker resolves the name and asks here about each address it got.
 */

/** An address as 16 bytes; an IPv4 address is held as its IPv4-mapped IPv6 form, ::ffff:a.b.c.d. */
export type IpBytes = readonly number[];

/** A range of addresses, as the operator wrote it and as 16 bytes with a prefix length out of 128. */
export interface CidrRange {
  text: string;
  bytes: IpBytes;
  prefix: number;
}

/** Why a target is refused: what kind of address it is. */
export const targetRefusals = [
  'loopback',
  'unspecified',
  'private',
  'link-local',
  'multicast',
  'broadcast',
  'reserved',
  'metadata',
] as const;
export type TargetRefusal = (typeof targetRefusals)[number];

/** What each refusal is, for the person who typed the address. */
export const targetRefusalNames: Record<TargetRefusal, string> = {
  loopback: 'chính máy chủ (loopback)',
  unspecified: 'địa chỉ không xác định (0.0.0.0, ::)',
  private: 'mạng nội bộ (địa chỉ riêng)',
  'link-local': 'địa chỉ liên kết cục bộ (link-local)',
  multicast: 'địa chỉ multicast',
  broadcast: 'địa chỉ quảng bá (broadcast)',
  reserved: 'dải địa chỉ dành riêng',
  metadata: 'dịch vụ siêu dữ liệu của máy chủ đám mây',
};

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    // Dotted decimal only, no leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const bytes: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      bytes.push(...v4);
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
      const value = parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    }
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 16 ? head : undefined;
  // "::" stands for at least one group of zeros.
  if (head.length + tail.length > 14) return undefined;
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/**
 * An IP address in its usual notations: dotted IPv4, IPv6 (with "::", an IPv4 tail, brackets or a
 * zone), as 16 bytes; undefined when `text` is not one (a host name). The other IPv4 notations
 * (0x7f.1, 2130706433, 017700000001) are a URL parser's business: `new URL` turns them into dotted
 * form before they come here, and a resolver never answers with them.
 */
export function parseIp(text: string): IpBytes | undefined {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone >= 0) value = value.slice(0, zone);
  if (value.includes(':')) return parseIpv6(value);
  const v4 = parseIpv4(value);
  return v4 ? [...MAPPED_PREFIX, ...v4] : undefined;
}

function inPrefix(ip: IpBytes, bytes: IpBytes, prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if ((ip[i]! & mask) !== (bytes[i]! & mask)) return false;
  }
  return true;
}

export class CidrError extends Error {}

/**
 * A range as an operator writes it: "10.20.0.0/16", "fd12:3456::/48", or one address (/32, /128).
 * Bits beyond the prefix must be zero, so that "10.20.1.5/16" (a slip for which range?) is refused.
 */
export function parseCidr(text: string): CidrRange {
  const value = text.trim();
  const slash = value.indexOf('/');
  const addressText = slash >= 0 ? value.slice(0, slash) : value;
  const bytes = parseIp(addressText);
  if (!bytes || addressText.includes('[') || addressText.includes('%'))
    throw new CidrError(`"${value}" is not an IPv4 or IPv6 range (e.g. 10.20.0.0/16 or fd12:3456::/48)`);
  const v4 = !addressText.includes(':');
  const max = v4 ? 32 : 128;
  const prefixText = slash >= 0 ? value.slice(slash + 1) : String(max);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max)
    throw new CidrError(`"${value}": the prefix length must be a number from 0 to ${max}`);
  const prefix = Number(prefixText) + (v4 ? 96 : 0);
  const masked = bytes.map((b, i) => {
    const bit = i * 8;
    if (bit + 8 <= prefix) return b;
    if (bit >= prefix) return 0;
    return b & ((0xff << (8 - (prefix - bit))) & 0xff);
  });
  if (masked.some((b, i) => b !== bytes[i]))
    throw new CidrError(`"${value}" has address bits set beyond its prefix: write the range's first address`);
  return { text: value, bytes, prefix };
}

/** A comma-separated list of ranges (DONDOC_WEBHOOK_ALLOW); empty: none. */
export function parseCidrList(text: string): CidrRange[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseCidr);
}

export function inRange(ip: IpBytes, range: CidrRange): boolean {
  return inPrefix(ip, range.bytes, range.prefix);
}

type Rule = [cidr: string, refusal: TargetRefusal];

/** IPv4 ranges, first match wins: the metadata addresses before the link-local range that holds them. */
const ipv4Rules: [CidrRange, TargetRefusal][] = (
  [
    ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
    ['169.254.170.2/32', 'metadata'], // AWS ECS task metadata
    ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
    ['255.255.255.255/32', 'broadcast'],
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'private'], // shared address space (carrier-grade NAT)
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'reserved'], // benchmarking
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved'],
  ] as Rule[]
).map(([cidr, refusal]) => [parseCidr(cidr), refusal]);

const ipv6Rules: [CidrRange, TargetRefusal][] = (
  [
    ['fd00:ec2::254/128', 'metadata'], // AWS over IPv6
    ['64:ff9b:1::/48', 'private'], // local-use NAT64
    ['100::/64', 'reserved'], // discard-only
    ['fc00::/7', 'private'], // unique local
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'private'], // site-local, deprecated but still routed by some
    ['ff00::/8', 'multicast'],
  ] as Rule[]
).map(([cidr, refusal]) => [parseCidr(cidr), refusal]);

const ipv6Own: [CidrRange, TargetRefusal][] = (
  [
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
  ] as Rule[]
).map(([cidr, refusal]) => [parseCidr(cidr), refusal]);

/** IPv6 forms that carry an IPv4 address, and where its four bytes are. */
const embeddings: [CidrRange, number][] = (
  [
    ['::ffff:0:0/96', 12], // IPv4-mapped: ::ffff:127.0.0.1, ::ffff:7f00:1
    ['::ffff:0:0:0/96', 12], // IPv4-translated (SIIT)
    ['64:ff9b::/96', 12], // NAT64 well-known prefix
    ['::/96', 12], // IPv4-compatible (deprecated): ::127.0.0.1
    ['2002::/16', 2], // 6to4
  ] as [string, number][]
).map(([cidr, at]) => [parseCidr(cidr), at]);

/** The IPv4 address an IPv6 address carries (as mapped bytes), if any; IPv4 itself is its own. */
function embeddedIpv4(ip: IpBytes): IpBytes | undefined {
  for (const [range, at] of embeddings) if (inRange(ip, range)) return [...MAPPED_PREFIX, ...ip.slice(at, at + 4)];
  return undefined;
}

/** What kind of internal address `ip` is, whatever the allow list; undefined for a public address. */
export function addressKind(ip: IpBytes): TargetRefusal | undefined {
  // :: and ::1 lie in the IPv4-compatible range but are IPv6's own unspecified and loopback addresses.
  for (const [range, refusal] of ipv6Own) if (inRange(ip, range)) return refusal;
  const v4 = embeddedIpv4(ip);
  if (v4) {
    for (const [range, refusal] of ipv4Rules) if (inRange(v4, range)) return refusal;
    // A public IPv4 address inside an IPv6 form is public; the form itself is not refused.
    return undefined;
  }
  for (const [range, refusal] of ipv6Rules) if (inRange(ip, range)) return refusal;
  return undefined;
}

/**
 * Why a webhook may not go to `ip`, or undefined when it may: an internal address is refused
 * unless it (or the IPv4 address it carries) is in one of the allowed ranges; a metadata service
 * is refused whatever the allow list says.
 */
export function addressRefusal(ip: IpBytes, allow: readonly CidrRange[]): TargetRefusal | undefined {
  const kind = addressKind(ip);
  if (kind === undefined || kind === 'metadata') return kind;
  const v4 = embeddedIpv4(ip);
  return allow.some((range) => inRange(ip, range) || (v4 !== undefined && inRange(v4, range))) ? undefined : kind;
}

/** Names that are the machine itself or a metadata service wherever they are resolved. */
const metadataNames = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/**
 * Why a webhook may not go to `host` (a URL's hostname: a name, a dotted IPv4, or an IPv6 in
 * brackets) before it is resolved: a literal address by its kind, "localhost" and the metadata
 * names by name. A name that passes is resolved at send time and each address checked then.
 */
export function hostRefusal(host: string, allow: readonly CidrRange[]): TargetRefusal | undefined {
  const name = host.toLowerCase().replace(/\.+$/, '');
  const ip = parseIp(name);
  if (ip) return addressRefusal(ip, allow);
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (metadataNames.has(name)) return 'metadata';
  return undefined;
}

export type WebhookAddressProblem =
  { kind: 'not-http' } | { kind: 'credentials' } | { kind: 'target'; refusal: TargetRefusal };

/**
 * What is wrong with a webhook URL as written, or undefined: it must be http(s), carry no user or
 * password (the signature is the credential; a password in a URL ends up in logs and screens), and
 * not name an internal target by address or by name.
 */
export function webhookAddressProblem(address: string, allow: readonly CidrRange[]): WebhookAddressProblem | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { kind: 'not-http' };
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.hostname === '') return { kind: 'not-http' };
  if (url.username !== '' || url.password !== '') return { kind: 'credentials' };
  const refusal = hostRefusal(url.hostname, allow);
  return refusal ? { kind: 'target', refusal } : undefined;
}

/**
 * A webhook URL as shown to those who may not see it whole: scheme and host, the path (which often
 * holds a key, as chat services' hooks do) replaced: "https://hooks.example.vn/…".
 */
export function maskWebhookAddress(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return '…';
  }
}
