import { Injectable, Optional } from '@nestjs/common';
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { WebhookDispatcherSettings } from '../../webhook-dispatcher.settings';
import { webhookUrlForbidden } from '../domain/webhooks.errors';

/** Every address a host name has, as `dns.promises.lookup(host, { all: true })` gives them. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * A slow resolver must not turn an admin's create into a 504: past this, the name is treated as not
 * resolving yet (accepted; every delivery still checks where it actually connects).
 */
const LOOKUP_TIMEOUT_MS = 2_000;

const resolveWithSystem: ResolveAll = (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`lookup of ${hostname} timed out`)), LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([dns.lookup(hostname, { all: true }), timeout]).finally(() => clearTimeout(timer));
};

// ipaddr.js names IPv6's special ranges but calls everything else `unicast`, including space
// IANA never allocated; only 2000::/3 is global unicast, so anything outside it stays forbidden.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const WHAT_TO_DO =
  'use a public https URL, or ask the operator to allow the range in WEBHOOKS_ALLOWED_PRIVATE_CIDRS';

const RANGE_DESCRIPTIONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT (100.64.0.0/10) address',
  uniqueLocal: 'a unique-local address',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  unicast: 'an IPv6 address outside global unicast (2000::/3)',
};

/**
 * Which hosts a webhook may target. Deny by default: an address passes only if it is public
 * unicast, or inside a range the operator allowed (WEBHOOKS_ALLOWED_PRIVATE_CIDRS). IPv4-mapped
 * IPv6 addresses are judged as the IPv4 address they carry.
 */
@Injectable()
export class TargetPolicy {
  private readonly allowedRanges: Cidr[];
  private readonly resolve: ResolveAll;

  constructor(
    private readonly settings: WebhookDispatcherSettings,
    @Optional() resolve?: ResolveAll,
  ) {
    this.allowedRanges = settings.allowedPrivateCidrs.map(parseAllowedCidr);
    this.resolve = resolve ?? resolveWithSystem;
  }

  isAllowedAddress(ip: string): boolean {
    return this.forbiddenBecause(ip) === null;
  }

  /** Null when `ip` may be targeted; otherwise what kind of address it is ("a loopback address"). */
  forbiddenBecause(ip: string): string | null {
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      address = ipaddr.process(ip);
    } catch {
      return 'not an IP address';
    }
    if (
      this.allowedRanges.length > 0 &&
      ipaddr.subnetMatch(address, { allowed: this.allowedRanges }) === 'allowed'
    ) {
      return null;
    }
    const range = address.range();
    if (range === 'unicast' && (address.kind() === 'ipv4' || address.match(GLOBAL_UNICAST_V6))) return null;
    return RANGE_DESCRIPTIONS[range] ?? `a non-public address (${range})`;
  }

  /** For create and patch: throws WEBHOOK_URL_FORBIDDEN when the URL may not be a webhook target. */
  async checkUrl(url: string): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw webhookUrlForbidden('the URL is not an absolute URL; use a public https URL');
    }
    if (parsed.protocol === 'http:' && !this.settings.allowHttp) {
      throw webhookUrlForbidden(`${url} uses http://, which this platform doesn't allow; use https://`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw webhookUrlForbidden(`${url} uses ${parsed.protocol}//; use a public https URL`);
    }
    // The WHATWG parser has already turned spellings such as 0x7f.1 or 2130706433 into dotted quads.
    const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
    if (isIP(host)) {
      const why = this.forbiddenBecause(host);
      if (why) throw webhookUrlForbidden(`${url} points at ${host}, ${why}; ${WHAT_TO_DO}`);
      return;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(host);
    } catch {
      // A name that doesn't resolve yet (or not within LOOKUP_TIMEOUT_MS) is accepted: it can't
      // reach anything now, and every delivery checks the addresses it actually connects to.
      return;
    }
    for (const { address } of addresses) {
      const why = this.forbiddenBecause(address);
      if (why) throw webhookUrlForbidden(`${url} resolves to ${address}, ${why}; ${WHAT_TO_DO}`);
    }
  }
}

/** An IPv4-mapped range (::ffff:10.0.0.0/104) is kept as the IPv4 range, as addresses are. */
function parseAllowedCidr(cidr: string): Cidr {
  const [address, bits] = ipaddr.parseCIDR(cidr);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && bits >= 96) {
    return [address.toIPv4Address(), bits - 96];
  }
  return [address, bits];
}
