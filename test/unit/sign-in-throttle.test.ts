import { describe, expect, it } from 'vitest';
import { delaySeconds, MAX_DELAY_SECONDS, throttleAddress } from '../../services/sign-in-throttle.ts';

describe('the wait after wrong passwords', () => {
  it('costs nothing for the first three, then doubles from one second up to fifteen minutes', () => {
    expect([1, 2, 3].map(delaySeconds)).toEqual([0, 0, 0]);
    expect([4, 5, 6, 7].map(delaySeconds)).toEqual([1, 2, 4, 8]);
    expect(delaySeconds(13)).toBe(512);
    expect(delaySeconds(14)).toBe(MAX_DELAY_SECONDS);
    expect(delaySeconds(10_000)).toBe(15 * 60);
  });

  it('keeps an IPv6 client by its /64 and an IPv4-mapped one as IPv4, so neither escapes by a new address', () => {
    expect(throttleAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(throttleAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(throttleAddress('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64');
    expect(throttleAddress('2001:db8:abcd:12::99')).toBe('2001:db8:abcd:12::/64');
    expect(throttleAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
  });
});
