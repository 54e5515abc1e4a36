import type { LookupAddress } from 'node:dns';
import { DomainError } from '@lib/errors';
import { WebhookDispatcherSettings } from '../../webhook-dispatcher.settings';
import { ResolveAll, TargetPolicy } from './target-policy';

function policy(
  options: { allowHttp?: boolean; allowedPrivateCidrs?: string[] } = {},
  resolve?: ResolveAll,
): TargetPolicy {
  const settings = new WebhookDispatcherSettings(
    options.allowHttp ?? false,
    options.allowedPrivateCidrs ?? [],
    [5_000],
    10_000,
    16,
    5 * 86_400_000,
    1_000,
    2_000,
  );
  return new TargetPolicy(settings, resolve);
}

/** A resolver with fixed answers; names it doesn't know fail as DNS does for unknown names. */
function resolver(answers: Record<string, string[]>): ResolveAll {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(check: Promise<void>): Promise<DomainError> {
  const error = await check.then(
    () => {
      throw new Error('the URL was accepted');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(DomainError);
  const refused = error as DomainError;
  expect(refused.code).toBe('WEBHOOK_URL_FORBIDDEN');
  expect(refused.errors).toEqual([{ field: 'url', message: refused.message }]);
  return refused;
}

describe('TargetPolicy: which addresses a webhook may target', () => {
  const strict = policy();

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.255.254', 'a loopback address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT (100.64.0.0/10) address'],
    ['100.127.255.254', 'a carrier-grade NAT (100.64.0.0/10) address'],
    ['0.0.0.0', 'an unspecified address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['240.0.0.1', 'a reserved address'],
    ['192.0.2.10', 'a reserved address'],
    ['198.18.0.1', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a unique-local address'],
    ['fd12:3456::1', 'a unique-local address'],
    ['ff02::1', 'a multicast address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:192.168.0.1', 'a private address'],
    ['::ffff:169.254.169.254', 'a link-local address'],
    ['::ffff:100.64.0.1', 'a carrier-grade NAT (100.64.0.0/10) address'],
    ['64:ff9b::a00:1', 'a NAT64 address'],
    ['2002:7f00:1::1', 'a 6to4 address'],
    ['2001:0:4136:e378::1', 'a Teredo address'],
    ['2001:db8::1', 'a reserved address'],
    ['::7f00:1', 'an IPv6 address outside global unicast (2000::/3)'],
  ])('refuses %s (%s)', (ip, kind) => {
    expect(strict.isAllowedAddress(ip)).toBe(false);
    expect(strict.forbiddenBecause(ip)).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
  ])('allows the public address %s', (ip) => {
    expect(strict.isAllowedAddress(ip)).toBe(true);
    expect(strict.forbiddenBecause(ip)).toBeNull();
  });

  it('refuses what is not an IP address at all', () => {
    expect(strict.isAllowedAddress('example.com')).toBe(false);
    expect(strict.isAllowedAddress('')).toBe(false);
  });

  it('lets the addresses of an allowed range through, and only those', () => {
    const crm = policy({ allowedPrivateCidrs: ['10.20.0.0/16', 'fd00:1::/32'] });
    expect(crm.isAllowedAddress('10.20.0.1')).toBe(true);
    expect(crm.isAllowedAddress('10.20.255.254')).toBe(true);
    expect(crm.isAllowedAddress('::ffff:10.20.3.4')).toBe(true);
    expect(crm.isAllowedAddress('fd00:1::5')).toBe(true);
    expect(crm.isAllowedAddress('10.21.0.1')).toBe(false);
    expect(crm.isAllowedAddress('192.168.0.1')).toBe(false);
    expect(crm.isAllowedAddress('127.0.0.1')).toBe(false);
    expect(crm.isAllowedAddress('fd00:2::5')).toBe(false);
    expect(crm.isAllowedAddress('8.8.8.8')).toBe(true);
  });

  it('reads an IPv4-mapped allowed range as the IPv4 range it carries', () => {
    const mapped = policy({ allowedPrivateCidrs: ['::ffff:10.20.0.0/112'] });
    expect(mapped.isAllowedAddress('10.20.0.9')).toBe(true);
    expect(mapped.isAllowedAddress('10.21.0.9')).toBe(false);
  });
});

describe('TargetPolicy.checkUrl: the check when a webhook is created or changed', () => {
  it.each([
    ['https://127.0.0.1/hook', '127.0.0.1', 'a loopback address'],
    ['https://10.0.0.1:8443/hook', '10.0.0.1', 'a private address'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254', 'a link-local address'],
    ['https://100.64.1.1/', '100.64.1.1', 'a carrier-grade NAT (100.64.0.0/10) address'],
    ['https://0.0.0.0/', '0.0.0.0', 'an unspecified address'],
    ['https://[::1]/hook', '::1', 'a loopback address'],
    ['https://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1', 'a loopback address'],
    ['https://[fe80::1]/', 'fe80::1', 'a link-local address'],
    ['https://[fd00::1]/', 'fd00::1', 'a unique-local address'],
    ['https://0x7f.1/hook', '127.0.0.1', 'a loopback address'],
    ['https://2130706433/hook', '127.0.0.1', 'a loopback address'],
    ['https://017700000001/hook', '127.0.0.1', 'a loopback address'],
    ['https://0xa.0x14.0.1/', '10.20.0.1', 'a private address'],
  ])('refuses %s, whose host is %s', async (url, host, kind) => {
    const refused = await refusal(policy().checkUrl(url));
    expect(refused.message).toContain(`points at ${host}, ${kind}`);
    expect(refused.message).toContain('use a public https URL');
    expect(refused.message).toContain('WEBHOOKS_ALLOWED_PRIVATE_CIDRS');
  });

  it('refuses localhost, a real name that resolves to loopback', async () => {
    const refused = await refusal(policy().checkUrl('https://localhost:8443/hook'));
    expect(refused.message).toMatch(
      /resolves to (127\.0\.0\.1|::1), a loopback address; use a public https URL/,
    );
  });

  it('refuses a name if any of its addresses is forbidden, naming that address', async () => {
    const dns = resolver({ 'hooks.example': ['93.184.216.34', '10.0.0.7'] });
    const refused = await refusal(policy({}, dns).checkUrl('https://hooks.example/in'));
    expect(refused.message).toContain('resolves to 10.0.0.7, a private address');
  });

  it('accepts a name whose addresses are all public', async () => {
    const dns = resolver({ 'hooks.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    await expect(policy({}, dns).checkUrl('https://hooks.example/in')).resolves.toBeUndefined();
  });

  it('accepts a name that does not resolve yet (deliveries check it again)', async () => {
    await expect(policy({}, resolver({})).checkUrl('https://not-yet.example/in')).resolves.toBeUndefined();
  });

  it('accepts a public IP literal', async () => {
    await expect(policy().checkUrl('https://93.184.216.34/hook')).resolves.toBeUndefined();
    await expect(policy().checkUrl('https://[2606:4700:4700::1111]/hook')).resolves.toBeUndefined();
  });

  it('refuses http unless the operator allows it, and still checks the host when it does', async () => {
    const refused = await refusal(policy().checkUrl('http://93.184.216.34/hook'));
    expect(refused.message).toContain("uses http://, which this platform doesn't allow; use https://");
    await expect(policy({ allowHttp: true }).checkUrl('http://93.184.216.34/hook')).resolves.toBeUndefined();
    await refusal(policy({ allowHttp: true }).checkUrl('http://127.0.0.1/hook'));
  });

  it('refuses schemes other than http and https, and text that is no URL', async () => {
    await refusal(policy({ allowHttp: true }).checkUrl('ftp://93.184.216.34/hook'));
    await refusal(policy({ allowHttp: true }).checkUrl('file:///etc/passwd'));
    await refusal(policy().checkUrl('hooks.example/in'));
  });

  it('accepts targets in an allowed range, literal or by name', async () => {
    const dns = resolver({ 'crm.internal': ['10.20.0.5'] });
    const crm = policy({ allowedPrivateCidrs: ['10.20.0.0/16'] }, dns);
    await expect(crm.checkUrl('https://10.20.0.5/hook')).resolves.toBeUndefined();
    await expect(crm.checkUrl('https://crm.internal/hook')).resolves.toBeUndefined();
    await refusal(crm.checkUrl('https://10.30.0.5/hook'));
  });
});
