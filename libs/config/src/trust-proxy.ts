/** Fastify's `trustProxy` forms: addresses or CIDRs (comma-separated), a hop count, or true/false. */
export type TrustProxy = boolean | string | number;

/**
 * Whose `X-Forwarded-For` gives the client IP (per-IP login, sign-up and request limits), from
 * TRUST_PROXY. By default only loopback: a peer anywhere else (a client on the internet, or a pod
 * next to the ingress) cannot choose its own IP. A deployment names its ingress controller's
 * addresses (the Helm chart's `trustProxy`), since only it should be believed.
 */
export function trustProxySetting(raw: string | undefined): TrustProxy {
  if (!raw) return 'loopback';
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
