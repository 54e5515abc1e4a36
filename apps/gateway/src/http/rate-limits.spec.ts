import { ConfigError } from '@lib/config';
import { readRateLimitSettings } from './rate-limits';

describe('readRateLimitSettings', () => {
  it('defaults to 600 per client IP and 1200 per caller a minute', () => {
    expect(readRateLimitSettings({})).toEqual({ ipPerMinute: 600, callerPerMinute: 1200 });
  });

  it('reads both settings and names a bad one', () => {
    expect(
      readRateLimitSettings({ RATE_LIMIT_IP_PER_MINUTE: '5', RATE_LIMIT_CALLER_PER_MINUTE: '7' }),
    ).toEqual({ ipPerMinute: 5, callerPerMinute: 7 });
    expect(() => readRateLimitSettings({ RATE_LIMIT_CALLER_PER_MINUTE: '0' })).toThrow(
      new ConfigError(
        'gateway: invalid configuration:\n  - RATE_LIMIT_CALLER_PER_MINUTE must be an integer in 1..1000000000',
      ),
    );
  });
});
