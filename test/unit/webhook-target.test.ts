import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  CidrError,
  hostRefusal,
  maskWebhookAddress,
  parseCidr,
  parseCidrList,
  parseIp,
  webhookAddressProblem,
} from '../../domain/webhook-target.ts';
import { deliveryFailureOf, failureOfStatus } from '../../domain/delivery-failures.ts';

/** What the worker would decide for a URL as an agency typed it: the URL parser first, as at send time. */
const refusalOfUrl = (address: string, allow = '') => {
  const problem = webhookAddressProblem(address, parseCidrList(allow));
  return problem?.kind === 'target' ? problem.refusal : problem?.kind;
};

describe('webhook targets: every notation of an internal address is refused', () => {
  it.each([
    // Loopback in each notation the attack used: the URL parser normalises the IPv4 ones.
    ['http://127.0.0.1:9913/hook', 'loopback'],
    ['http://127.1/hook', 'loopback'],
    ['http://0x7f.1/hook', 'loopback'],
    ['http://2130706433/hook', 'loopback'],
    ['http://017700000001/hook', 'loopback'],
    ['http://0x7f000001/hook', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://[::1]:9913/hook', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['http://[::ffff:7f00:1]/hook', 'loopback'],
    ['http://[::127.0.0.1]/', 'loopback'],
    ['http://[64:ff9b::7f00:1]/', 'loopback'],
    ['http://[2002:7f00:1::]/', 'loopback'],
    ['http://localhost:3000/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    // Unspecified: 0.0.0.0 reaches the machine itself on most systems.
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    // Private networks, IPv4 and IPv6, and the shared (carrier-grade NAT) space.
    ['http://10.0.0.5/', 'private'],
    ['http://10.255.255.255/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://100.64.0.1/', 'private'],
    ['http://[fd12:3456::1]/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[::ffff:10.0.0.5]/', 'private'],
    ['http://[::ffff:c0a8:101]/', 'private'],
    // Link-local, multicast, broadcast, reserved.
    ['http://169.254.1.1/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://192.0.0.8/', 'reserved'],
    // The clouds' metadata services, by address and by name.
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::ffff:169.254.169.254]/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://100.100.100.200/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://metadata/', 'metadata'],
    ['http://METADATA.GOOGLE.INTERNAL./', 'metadata'],
  ])('%s is refused as %s', (address, refusal) => {
    expect(refusalOfUrl(address)).toBe(refusal);
  });

  it.each([
    'https://hooks.example.vn/dondoc',
    'https://203.0.113.10/hook',
    'http://8.8.8.8/',
    'https://[2001:db8::10]/hook',
    'https://[::ffff:8.8.8.8]/',
    'https://chat.snv.vinhphuc.gov.vn:8443/hooks/abc',
    // Close to a blocked range, outside it.
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://11.0.0.1/',
  ])('%s is accepted', (address) => {
    expect(refusalOfUrl(address)).toBeUndefined();
  });

  it('refuses other schemes and credentials inside the URL', () => {
    expect(refusalOfUrl('ftp://hooks.example.vn/')).toBe('not-http');
    expect(refusalOfUrl('file:///etc/passwd')).toBe('not-http');
    expect(refusalOfUrl('javascript:alert(1)')).toBe('not-http');
    expect(refusalOfUrl('không phải URL')).toBe('not-http');
    expect(refusalOfUrl('https://user:secret@hooks.example.vn/')).toBe('credentials');
    expect(refusalOfUrl('https://user@hooks.example.vn/')).toBe('credentials');
  });

  it('lets the operator allow ranges for receivers on the premises, IPv4 and IPv6, in every notation', () => {
    const allow = '10.20.0.0/16, fd12:3456::/48, 127.0.0.0/8';
    expect(refusalOfUrl('http://10.20.3.4/hook', allow)).toBeUndefined();
    expect(refusalOfUrl('http://[::ffff:10.20.3.4]/hook', allow)).toBeUndefined();
    expect(refusalOfUrl('http://10.21.0.1/hook', allow)).toBe('private');
    expect(refusalOfUrl('http://[fd12:3456:0:1::5]/', allow)).toBeUndefined();
    expect(refusalOfUrl('http://[fd12:3457::5]/', allow)).toBe('private');
    expect(refusalOfUrl('http://0x7f.1/', allow)).toBeUndefined();
    // ::1 is not in 127.0.0.0/8: IPv6's loopback is allowed by its own range.
    expect(refusalOfUrl('http://[::1]/', allow)).toBe('loopback');
    expect(refusalOfUrl('http://[::1]/', '::1/128')).toBeUndefined();
  });

  it('never allows a metadata service, whatever the allow list says', () => {
    expect(refusalOfUrl('http://169.254.169.254/', '169.254.0.0/16')).toBe('metadata');
    expect(refusalOfUrl('http://169.254.169.254/', '0.0.0.0/0')).toBe('metadata');
    expect(refusalOfUrl('http://[fd00:ec2::254]/', '::/0')).toBe('metadata');
    expect(refusalOfUrl('http://metadata.google.internal/', '0.0.0.0/0')).toBe('metadata');
    expect(refusalOfUrl('http://169.254.1.1/', '169.254.0.0/16')).toBeUndefined();
  });

  it('checks the addresses a resolver answers with, as they come (no brackets, zones)', () => {
    const none = parseCidrList('');
    expect(addressRefusal(parseIp('127.0.0.1')!, none)).toBe('loopback');
    expect(addressRefusal(parseIp('::ffff:127.0.0.1')!, none)).toBe('loopback');
    expect(addressRefusal(parseIp('fe80::1%eth0')!, none)).toBe('link-local');
    expect(addressRefusal(parseIp('93.184.216.34')!, none)).toBeUndefined();
    expect(hostRefusal('[::1]', none)).toBe('loopback');
    expect(hostRefusal('hooks.example.vn', none)).toBeUndefined();
  });
});

describe('IP and range parsing', () => {
  it('reads IPv4 and IPv6 into one form, IPv4 as IPv4-mapped', () => {
    expect(parseIp('127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('[::ffff:7f00:1]'));
    expect(parseIp('2001:db8::1')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    for (const notAnAddress of [
      'hooks.example.vn',
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '',
    ])
      expect(parseIp(notAnAddress)).toBeUndefined();
  });

  it('reads ranges, and refuses a mistyped one with what is wrong', () => {
    expect(parseCidr('10.20.0.0/16').prefix).toBe(96 + 16);
    expect(parseCidr('::1').prefix).toBe(128);
    expect(parseCidr('192.168.1.7').prefix).toBe(128);
    expect(parseCidrList(' 10.0.0.0/8 ,, fd00::/8 ')).toHaveLength(2);
    expect(() => parseCidr('10.20.1.5/16')).toThrow(/bits set beyond its prefix/);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/0 to 32/);
    expect(() => parseCidr('fd00::/129')).toThrow(/0 to 128/);
    expect(() => parseCidr('intranet')).toThrow(CidrError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(CidrError);
  });
});

describe('what others see of a webhook', () => {
  it('keeps the scheme and host and drops the path, which often holds a key', () => {
    expect(maskWebhookAddress('https://hooks.slack.com/services/T000/B000/XXXXSECRET')).toBe(
      'https://hooks.slack.com/…',
    );
    expect(maskWebhookAddress('http://10.20.3.4:8080/hook?key=abc')).toBe('http://10.20.3.4:8080/…');
  });
});

describe('delivery failures are categories', () => {
  it('maps statuses and the free text of older rows to categories, never the network detail', () => {
    expect(failureOfStatus(503)).toBe('http-5xx');
    expect(failureOfStatus(404)).toBe('http-4xx');
    expect(failureOfStatus(302)).toBe('redirect');
    expect(deliveryFailureOf('http-5xx')).toBe('http-5xx');
    expect(deliveryFailureOf('retry window over: refused-target')).toBe('refused-target');
    expect(deliveryFailureOf('the receiver answered HTTP 500')).toBe('http-5xx');
    expect(deliveryFailureOf('fetch failed: connect ECONNREFUSED 127.0.0.1:9913')).toBe('unreachable');
    expect(deliveryFailureOf('This operation was aborted')).toBe('timeout');
    expect(deliveryFailureOf('the contact was removed')).toBe('contact-removed');
    expect(deliveryFailureOf('something else entirely')).toBe('error');
    expect(deliveryFailureOf(null)).toBeNull();
  });
});
