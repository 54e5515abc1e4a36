import { trustProxySetting } from './trust-proxy';

describe('TRUST_PROXY', () => {
  it('trusts only loopback by default: no private range is believed unless named', () => {
    expect(trustProxySetting(undefined)).toBe('loopback');
    expect(trustProxySetting('')).toBe('loopback');
  });

  it("takes Fastify's forms: addresses and CIDRs, a hop count, true or false", () => {
    expect(trustProxySetting('10.42.0.0/16, 127.0.0.1')).toBe('10.42.0.0/16, 127.0.0.1');
    expect(trustProxySetting('1')).toBe(1);
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('true')).toBe(true);
  });
});
