/**
 * What the chart tests share: the apps, the values files, and helpers over rendered manifests,
 * among them the checks that hold for every render (expectWellFormed).
 */
import ipaddr from 'ipaddr.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART, K8sObject } from './helm';

export const APPS = [
  'gateway',
  'auth',
  'loyalty',
  'promotion',
  'coupon-worker',
  'webhook-dispatcher',
] as const;
export const PORTS: Record<string, number> = {
  gateway: 3000,
  auth: 3001,
  loyalty: 3002,
  promotion: 3003,
  'coupon-worker': 3004,
  'webhook-dispatcher': 3005,
};
/** metrics.port's default: every app's /metrics (METRICS_PORT), apart from its own port. */
export const METRICS_PORT = 9464;
/** What the Ingress routes to the gateway, and nothing else (ingress.docs.enabled adds the docs). */
export const PUBLIC_PATHS = [
  { path: '/v1', pathType: 'Prefix' },
  { path: '/.well-known', pathType: 'Prefix' },
  { path: '/admin', pathType: 'Prefix' },
];
export const DOCS_PATHS = [
  { path: '/docs', pathType: 'Prefix' },
  { path: '/docs-json', pathType: 'Exact' },
];
export const MIGRATING = ['auth', 'loyalty', 'promotion', 'coupon-worker', 'webhook-dispatcher'];
export const APP_KINDS = ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget', 'NetworkPolicy'];
export const JWT_DIR = '/var/run/secrets/loyalty/jwt';
/** auth's secrets: its Deployment's alone, never the migration job's. */
export const AUTH_SECRET_ENV = [
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'JWT_PRIVATE_KEY_FILE',
  'JWT_PREVIOUS_PUBLIC_KEYS_FILE',
  'SMTP_URL',
];
export const CONNECTION_KEYS = ['MONGODB_URI', 'RABBITMQ_URL', 'REDIS_URL'];

export const VALUES = join(CHART, 'values.yaml');
export const DEFAULT_CI = join(CHART, 'ci', 'default-values.yaml');
export const PRODUCTION = join(CHART, 'ci', 'production-values.yaml');

export const loadYaml = (file: string): any => parse(readFileSync(file, 'utf8'));

/** Helm's merge of values: maps merge key by key, anything else is replaced. */
export function mergeValues(base: any, over: any): any {
  if (isMap(base) && isMap(over)) {
    const out: any = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeValues(base[k], v) : v;
    return out;
  }
  return over;
}
export const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => structuredClone(v);

// ---------------------------------------------------------------------------------------------
// Helpers over rendered manifests

export const ofKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
export const component = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'];
export const isHook = (o: K8sObject) => Boolean(o.metadata.annotations?.['helm.sh/hook']);

export function one(objs: K8sObject[], kind: string, app: string): K8sObject {
  const found = objs.filter((o) => o.kind === kind && component(o) === app);
  if (found.length !== 1) throw new Error(`expected one ${kind} for ${app}, found ${found.length}`);
  return found[0];
}
export const byName = (objs: K8sObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);

export const containerOf = (deployment: K8sObject) => deployment.spec.template.spec.containers[0];
export const envOf = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
export const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Bytes of a Kubernetes quantity such as 512Mi or 1Gi. */
export function bytes(q: string | number): number {
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit =
    { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

export const secretData = (secret: K8sObject, key: string) =>
  Buffer.from(secret.data[key], 'base64').toString('utf8');

/** Names of the Secrets a pod spec reads (env, envFrom, volumes), with the containers reading them. */
export function secretsReadBy(podSpec: any): Set<string> {
  const names = new Set<string>();
  for (const c of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef) names.add(e.secretRef.name);
  }
  for (const v of podSpec.volumes ?? []) {
    if (v.secret) names.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) if (s.secret) names.add(s.secret.name);
  }
  return names;
}

/** A connection a pod opens to an address outside the cluster. */
export interface Destination {
  ip: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

const inCidr = (ip: ipaddr.IPv4 | ipaddr.IPv6, cidr: string) => {
  const range = ipaddr.parseCIDR(cidr);
  return ip.kind() === range[0].kind() && ip.match(range);
};

/**
 * Whether the NetworkPolicies let pods with these labels open a connection to an external
 * address, as Kubernetes reads them: egress is open unless a policy selecting the pod lists
 * Egress; then any rule of any such policy may allow it (a rule without `to` allows every
 * address, one without `ports` every port; an ipBlock allows its cidr but its `except`). Pod and
 * namespace selectors pick pods, never an external address.
 */
export function egressAllows(objs: K8sObject[], podLabels: Record<string, string>, to: Destination): boolean {
  const policies = ofKind(objs, 'NetworkPolicy').filter(
    (np) => !isHook(np) && matches(np.spec.podSelector.matchLabels ?? {}, podLabels),
  );
  const limiting = policies.filter((np) => np.spec.policyTypes?.includes('Egress'));
  if (!limiting.length) return true;
  const ip = ipaddr.parse(to.ip);
  const protocol = to.protocol ?? 'TCP';
  return limiting.some((np) =>
    (np.spec.egress ?? []).some((rule: any) => {
      const portOk =
        !rule.ports?.length ||
        rule.ports.some((p: any) => p.port === to.port && (p.protocol ?? 'TCP') === protocol);
      const peerOk =
        !rule.to?.length ||
        rule.to.some(
          (peer: any) =>
            peer.ipBlock &&
            inCidr(ip, peer.ipBlock.cidr) &&
            !(peer.ipBlock.except ?? []).some((cidr: string) => inCidr(ip, cidr)),
        );
      return portOk && peerOk;
    }),
  );
}

/** Checks that hold for every render, whatever the values. */
export function expectWellFormed(objs: K8sObject[], existingSecrets: string[] = []) {
  // Unique names per kind, and every object labelled as part of the release.
  const keys = objs.map((o) => `${o.kind}/${o.metadata.name}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const o of objs) {
    expect(o.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'loyalty-platform',
      'app.kubernetes.io/instance': 'rel',
      'app.kubernetes.io/managed-by': 'Helm',
    });
  }
  const deployments = ofKind(objs, 'Deployment');
  for (const d of deployments) {
    const app = component(d)!;
    expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    // Each selector picks the pods of its own app only.
    for (const other of deployments) {
      if (other !== d)
        expect(matches(d.spec.selector.matchLabels, other.spec.template.metadata.labels)).toBe(false);
    }
    // Service, PDB and NetworkPolicy select this app's pods, and no other app's.
    const selectors = [one(objs, 'Service', app).spec.selector];
    const pdb = ofKind(objs, 'PodDisruptionBudget').find((p) => component(p) === app);
    if (pdb) selectors.push(pdb.spec.selector.matchLabels);
    const np = ofKind(objs, 'NetworkPolicy').find((p) => component(p) === app);
    if (np) selectors.push(np.spec.podSelector.matchLabels);
    for (const selector of selectors) {
      for (const other of deployments) {
        expect(matches(selector, other.spec.template.metadata.labels)).toBe(other === d);
      }
      // Nor the `helm test` Pod.
      for (const pod of ofKind(objs, 'Pod')) expect(matches(selector, pod.metadata.labels)).toBe(false);
    }
    const sa = d.spec.template.spec.serviceAccountName;
    expect(byName(objs, 'ServiceAccount', sa)).toBeDefined();
  }
  const scaled = [...ofKind(objs, 'HorizontalPodAutoscaler'), ...ofKind(objs, 'ScaledObject')];
  for (const scaler of scaled) {
    expect(['autoscaling/v2', 'keda.sh/v1alpha1']).toContain(scaler.apiVersion);
    const target = byName(objs, 'Deployment', scaler.spec.scaleTargetRef.name);
    expect(target).toBeDefined();
    expect(target!.spec.replicas).toBeUndefined(); // the autoscaler owns the replica count
  }
  // One autoscaler per Deployment at most: KEDA's ScaledObject replaces the chart's HPA.
  const targets = scaled.map((s) => s.spec.scaleTargetRef.name);
  expect(new Set(targets).size).toBe(targets.length);
  for (const np of ofKind(objs, 'NetworkPolicy')) {
    // No rule lets one app's pods in from another app's pods: they talk through RabbitMQ only. A
    // podSelector peer may only pick the `helm test` Pod.
    for (const rule of np.spec.ingress ?? [])
      for (const peer of rule.from ?? [])
        if (peer.podSelector) {
          expect(peer.podSelector.matchLabels['app.kubernetes.io/component']).toBe('test');
          for (const d of deployments)
            expect(matches(peer.podSelector.matchLabels, d.spec.template.metadata.labels)).toBe(false);
        }
  }
  // Every Secret a workload reads is rendered, or is one of the existingSecrets named.
  for (const o of [...deployments, ...ofKind(objs, 'Job')]) {
    for (const name of secretsReadBy(o.spec.template.spec)) {
      expect([name, Boolean(byName(objs, 'Secret', name)) || existingSecrets.includes(name)]).toEqual([
        name,
        true,
      ]);
    }
  }
}

/**
 * The migration job gets none of auth's secrets: `migrate` boots each app's collections, indexes
 * and migrations only. No JWT key (no volume, no mount, no JWT_*_FILE variable), no admin
 * credentials, and no Secret but the connections one (the hook Secret or connections.existingSecret).
 */
export function expectJobWithoutAuthSecrets(objs: K8sObject[], connectionsSecret: string) {
  const jobs = ofKind(objs, 'Job');
  expect(jobs).toHaveLength(1);
  const pod = jobs[0].spec.template.spec;
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  expect(containers.map((c: any) => c.name)).toContain('migrate-auth');
  expect([...secretsReadBy(pod)]).toEqual([connectionsSecret]);
  expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: expect.any(Object) }]);
  for (const c of containers) {
    expect([c.name, c.volumeMounts]).toEqual([c.name, [{ name: 'tmp', mountPath: '/tmp' }]]);
    const names = (c.env ?? []).map((e: any) => e.name);
    expect([c.name, names.filter((n: string) => /^(ADMIN_|JWT_PRIVATE_KEY|JWT_PREVIOUS)/.test(n))]).toEqual([
      c.name,
      [],
    ]);
    expect(names).toEqual(expect.arrayContaining(CONNECTION_KEYS));
    for (const e of c.env)
      if (CONNECTION_KEYS.includes(e.name))
        expect(e.valueFrom.secretKeyRef).toEqual({ name: connectionsSecret, key: e.name });
  }
  const text = JSON.stringify(jobs[0]);
  for (const word of ['jwt', 'ADMIN_', 'PRIVATE KEY']) expect(text).not.toContain(word);
  // The hook Secret, when there is one, holds the connection URLs and nothing else.
  const hook = byName(objs, 'Secret', 'rel-loyalty-platform-migrate');
  if (hook) expect(Object.keys(hook.data).sort()).toEqual(CONNECTION_KEYS);
}
