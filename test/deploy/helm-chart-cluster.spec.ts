/**
 * What makes the chart fit a real cluster (issue 20), rendered by a real helm (./helm.ts) and
 * checked object by object, every render also against the Kubernetes and CRD schemas:
 * `enabled` and `global` (the chart as a subchart), extra volumes, mounts and env (a private CA),
 * the default pod anti-affinity, the `helm test` Pod (whose script is run here against local
 * HTTP servers), the PrometheusRule, the KEDA ScaledObject and the Grafana dashboard (their
 * metric and queue names checked against what the code exports and declares), the shutdown
 * timeout against the grace period, MIGRATE_ON_START, and deploy/README.md's parameters table.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { COUPON_RPC } from '../../libs/contracts/src/coupons/coupon-books.rpc';
import { RPC } from '../../libs/contracts/src/patterns';
import { CAMPAIGN_RPC } from '../../libs/contracts/src/vouchers/campaigns.rpc';
import { Topology } from '../../libs/messaging/src/topology';
import { Metrics } from '../../libs/observability/src/metrics';
import {
  APPS,
  DEFAULT_CI,
  MIGRATING,
  byName,
  component,
  containerOf,
  envOf,
  expectWellFormed,
  isHook,
  loadYaml,
  ofKind,
  one,
} from './chart-helpers';
import {
  CHART,
  K8sObject,
  ROOT,
  cleanupHelmHome,
  helm,
  helmBinary,
  parseManifests,
  render,
  templateRaw,
} from './helm';
import {
  DERIVED_SCHEMAS,
  derivedSchema,
  openObjects,
  validateManifest,
  validateManifests,
} from './k8s-schemas';

let tmp: string;
/** A values file with this content, in the test's temporary directory. */
function valuesFile(name: string, values: unknown): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, stringify(values));
  return file;
}

/** Renders, then checks what holds for every render and validates every document strictly. */
async function renderChecked(
  files: string[],
  sets: string[] = [],
  existingSecrets: string[] = [],
): Promise<K8sObject[]> {
  const objs = await render([DEFAULT_CI, ...files], sets);
  expectWellFormed(objs, existingSecrets);
  expect(validateManifests(objs)).toEqual({ errors: [], unchecked: [] });
  return objs;
}

async function renderFails(sets: string[], files: string[] = []): Promise<string> {
  const res = await templateRaw([DEFAULT_CI, ...files], sets);
  expect(res.code).not.toBe(0);
  return res.stderr;
}

const volumesOf = (pod: any) => (pod.volumes ?? []).map((v: any) => v.name);
const mountsOf = (c: any) => (c.volumeMounts ?? []).map((m: any) => `${m.name}:${m.mountPath}`);
const envNames = (c: any): string[] => (c.env ?? []).map((e: any) => e.name);
const jobContainers = (objs: K8sObject[]) => {
  const pod = ofKind(objs, 'Job')[0].spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers];
};

/** The queues the apps consume: every `export const X_CONSUMER = '<app>.<name>'` under apps/. */
function consumerNames(): string[] {
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.consumer.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/export const \w+_CONSUMER = '([^']+)'/g))
          names.push(m[1]);
    }
  };
  walk(join(ROOT, 'apps'));
  return names.sort();
}
const GENERATION_CONSUMER = /export const GENERATION_CONSUMER = '([^']+)'/.exec(
  readFileSync(
    join(ROOT, 'apps/coupon-worker/src/generation/run-generation/run-generation.consumer.ts'),
    'utf8',
  ),
)![1];

/** Every metric name an app's /metrics serves (histograms as their _bucket, _sum and _count series). */
async function exportedMetrics(): Promise<Set<string>> {
  const metrics = new Metrics('gateway');
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    else names.add(m.name);
  }
  return names;
}
/** What RabbitMQ's rabbitmq_prometheus plugin exports per queue (per-object metrics) that we use. */
const RABBITMQ_METRICS = ['rabbitmq_queue_messages_ready'];

/** Metric names of a PromQL expression: the identifiers before a `{` selector. */
const metricsIn = (expr: string) => [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);
/** A `queue=~` / `queue!~` matcher's regex as a JavaScript one (PromQL anchors its regexes). */
function queueRegex(expr: string, op: '=~' | '!~'): RegExp {
  const m = new RegExp(`queue${op}"([^"]+)"`).exec(expr);
  if (!m) throw new Error(`no queue${op} matcher in ${expr}`);
  return new RegExp(`^(?:${m[1]})$`);
}

describe('Helm chart in a real cluster', () => {
  beforeAll(() => {
    helmBinary();
    tmp = mkdtempSync(join(os.tmpdir(), 'loyalty-chart-cluster-'));
  }, 240_000);
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
    cleanupHelmHome();
  });

  describe('enabled and global: the chart as a subchart', () => {
    it('renders nothing with enabled=false, not even the checks that want secrets', async () => {
      for (const files of [[], [DEFAULT_CI]]) {
        const res = await templateRaw(files, [
          'enabled=false',
          'keda.enabled=true',
          'metrics.prometheusRule.enabled=true',
          'metrics.dashboard.enabled=true',
          'metrics.serviceMonitor.enabled=true',
          'ingress.enabled=true',
        ]);
        expect(res.stderr).toBe('');
        expect(res.code).toBe(0);
        expect(parseManifests(res.stdout)).toEqual([]);
      }
    });

    it('takes its images from global.imageRegistry, and adds global.imagePullSecrets', async () => {
      const objs = await renderChecked([
        valuesFile('global', {
          image: { registry: 'registry.example.com/loyalty' },
          imagePullSecrets: [{ name: 'pull-b' }],
          global: {
            imageRegistry: 'mirror.example.com/loyalty',
            imagePullSecrets: ['pull-a', { name: 'pull-b' }],
          },
          apps: { loyalty: { image: { repository: 'other.example.com/loyalty' } } },
        }),
      ]);
      const pods = [
        ...ofKind(objs, 'Deployment').map((d) => d.spec.template.spec),
        ofKind(objs, 'Job')[0].spec.template.spec,
        ofKind(objs, 'Pod')[0].spec,
      ];
      for (const pod of pods) {
        expect(pod.imagePullSecrets).toEqual([{ name: 'pull-a' }, { name: 'pull-b' }]);
        for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
          const app = String(c.name).replace(/^migrate-/, '');
          const expected =
            app === 'loyalty'
              ? 'other.example.com/loyalty:0.1.0'
              : `mirror.example.com/loyalty/loyalty-platform-`;
          expect([c.name, c.image.startsWith(expected)]).toEqual([c.name, true]);
        }
      }
      expect(containerOf(one(objs, 'Deployment', 'auth')).image).toBe(
        'mirror.example.com/loyalty/loyalty-platform-auth:0.1.0',
      );
    });

    it("is a parent chart's dependency: its schema takes the parent's global, its condition turns it off", async () => {
      const parent = join(tmp, 'shop');
      mkdirSync(join(parent, 'charts'), { recursive: true });
      cpSync(CHART, join(parent, 'charts', 'loyalty-platform'), { recursive: true });
      writeFileSync(
        join(parent, 'Chart.yaml'),
        stringify({
          apiVersion: 'v2',
          name: 'shop',
          version: '1.0.0',
          dependencies: [
            { name: 'loyalty-platform', version: '0.1.0', condition: 'loyalty-platform.enabled' },
          ],
        }),
      );
      writeFileSync(
        join(parent, 'values.yaml'),
        stringify({
          global: {
            imageRegistry: 'mirror.example.com',
            imagePullSecrets: ['shop-pull'],
            environment: 'prod',
          },
          'loyalty-platform': loadYaml(DEFAULT_CI),
        }),
      );
      const run = (...sets: string[]) =>
        helm(['template', 'rel', parent, '--namespace', 'loyalty', ...sets.flatMap((s) => ['--set', s])]);

      const on = await run();
      expect(on.stderr).toBe('');
      const objs = parseManifests(on.stdout);
      expectWellFormed(objs);
      expect(validateManifests(objs)).toEqual({ errors: [], unchecked: [] });
      expect(ofKind(objs, 'Deployment').map(component)).toEqual([...APPS]);
      for (const d of ofKind(objs, 'Deployment')) {
        expect(containerOf(d).image).toBe(`mirror.example.com/loyalty-platform-${component(d)}:0.1.0`);
        expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'shop-pull' }]);
      }

      const off = await run('loyalty-platform.enabled=false');
      expect(off.code).toBe(0);
      expect(parseManifests(off.stdout)).toEqual([]);

      // A global the subchart's schema doesn't accept is refused as the chart's own values would be.
      const bad = await run('global.imageRegistry=bad registry');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/imageRegistry/);
    });
  });

  describe('extraVolumes, extraVolumeMounts and extraEnv: a private CA', () => {
    let objs: K8sObject[];
    beforeAll(async () => {
      objs = await renderChecked(
        [
          valuesFile('extras', {
            extraVolumes: [{ name: 'private-ca', configMap: { name: 'private-ca' } }],
            extraVolumeMounts: [{ name: 'private-ca', mountPath: '/etc/loyalty/ca', readOnly: true }],
            extraEnv: [
              { name: 'NODE_EXTRA_CA_CERTS', value: '/etc/loyalty/ca/ca.crt' },
              { name: 'TZ', value: 'UTC' },
            ],
            apps: {
              promotion: {
                extraVolumes: [{ name: 'promotion-ca', secret: { secretName: 'promotion-ca' } }],
                extraVolumeMounts: [{ name: 'promotion-ca', mountPath: '/etc/promotion/ca', readOnly: true }],
                extraEnv: [{ name: 'NODE_EXTRA_CA_CERTS', value: '/etc/promotion/ca/ca.crt' }],
              },
            },
          }),
        ],
        [],
        ['promotion-ca'], // a Secret of the user's
      );
    });

    it.each(APPS)("mounts the global CA into %s's pods, and points NODE_EXTRA_CA_CERTS at it", (app) => {
      const d = one(objs, 'Deployment', app);
      const pod = d.spec.template.spec;
      const c = containerOf(d);
      const own = app === 'promotion';
      expect(volumesOf(pod)).toEqual(
        expect.arrayContaining(own ? ['private-ca', 'promotion-ca'] : ['private-ca']),
      );
      expect(pod.volumes.find((v: any) => v.name === 'private-ca')).toEqual({
        name: 'private-ca',
        configMap: { name: 'private-ca' },
      });
      expect(mountsOf(c)).toEqual(
        expect.arrayContaining([
          'tmp:/tmp',
          'private-ca:/etc/loyalty/ca',
          ...(own ? ['promotion-ca:/etc/promotion/ca'] : []),
        ]),
      );
      // An app's own entry replaces the global one of the same name: each name once.
      expect(envNames(c).filter((n) => n === 'NODE_EXTRA_CA_CERTS')).toHaveLength(1);
      expect(envOf(c)).toMatchObject({
        NODE_EXTRA_CA_CERTS: own ? '/etc/promotion/ca/ca.crt' : '/etc/loyalty/ca/ca.crt',
        TZ: 'UTC',
      });
      expect(new Set(envNames(c)).size).toBe(envNames(c).length);
    });

    it('gives the migration Job the same: every volume once, each container its app’s mounts and env', () => {
      const pod = ofKind(objs, 'Job')[0].spec.template.spec;
      expect(volumesOf(pod)).toEqual(['tmp', 'private-ca', 'promotion-ca']);
      for (const c of jobContainers(objs)) {
        const own = c.name === 'migrate-promotion';
        expect([c.name, mountsOf(c)]).toEqual([
          c.name,
          ['tmp:/tmp', 'private-ca:/etc/loyalty/ca', ...(own ? ['promotion-ca:/etc/promotion/ca'] : [])],
        ]);
        expect([c.name, envOf(c).NODE_EXTRA_CA_CERTS]).toEqual([
          c.name,
          own ? '/etc/promotion/ca/ca.crt' : '/etc/loyalty/ca/ca.crt',
        ]);
      }
    });

    it('refuses two different volumes of one name', async () => {
      const stderr = await renderFails(
        [],
        [
          valuesFile('clash', {
            extraVolumes: [{ name: 'ca', configMap: { name: 'ca' } }],
            apps: { auth: { extraVolumes: [{ name: 'ca', secret: { secretName: 'ca' } }] } },
          }),
        ],
      );
      expect(stderr).toMatch(/apps\.auth\.extraVolumes: a volume named ca is already defined differently/);
    });
  });

  describe('scheduling: a soft pod anti-affinity by default', () => {
    const antiAffinity = (d: K8sObject) => d.spec.template.spec.affinity?.podAntiAffinity;

    let defaults: K8sObject[];
    beforeAll(async () => {
      defaults = await render([DEFAULT_CI]);
    });

    it.each(APPS)('prefers to put %s’s pods on different nodes', (app) => {
      const d = one(defaults, 'Deployment', app);
      expect(d.spec.template.spec.affinity).toEqual({
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: d.spec.selector.matchLabels },
              },
            },
          ],
        },
      });
    });

    it('can require it, drop it, keep an affinity of its own beside it, or be replaced', async () => {
      const ownAntiAffinity = {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: {} } },
        ],
      };
      const nodeAffinity = {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] },
          ],
        },
      };
      const objs = await renderChecked([
        valuesFile('scheduling', {
          apps: {
            auth: { podAntiAffinityPreset: 'hard' },
            loyalty: { podAntiAffinityPreset: '' },
            promotion: { affinity: { nodeAffinity } },
            'coupon-worker': { affinity: { podAntiAffinity: ownAntiAffinity } },
          },
        }),
      ]);
      const auth = one(objs, 'Deployment', 'auth');
      expect(antiAffinity(auth)).toEqual({
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: auth.spec.selector.matchLabels },
          },
        ],
      });
      expect(one(objs, 'Deployment', 'loyalty').spec.template.spec.affinity).toBeUndefined();
      const promotion = one(objs, 'Deployment', 'promotion').spec.template.spec.affinity;
      expect(promotion.nodeAffinity).toEqual(nodeAffinity);
      expect(promotion.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
      expect(antiAffinity(one(objs, 'Deployment', 'coupon-worker'))).toEqual(ownAntiAffinity);
    });
  });

  describe('helm test: every enabled app ready', () => {
    const testPod = (objs: K8sObject[]) => {
      const pods = ofKind(objs, 'Pod');
      expect(pods).toHaveLength(1);
      return pods[0];
    };
    /** The URLs the test Pod asks: /health/ready on each Service's name and port. */
    const urlsOf = (objs: K8sObject[]) =>
      ofKind(objs, 'Service').map((s) => `http://${s.metadata.name}:${s.spec.ports[0].port}/health/ready`);

    it('is a Pod annotated as a test hook that asks each Service for /health/ready', async () => {
      const objs = await renderChecked([]);
      const pod = testPod(objs);
      expect(pod.metadata.annotations).toEqual({
        'helm.sh/hook': 'test',
        'helm.sh/hook-weight': '0',
        'helm.sh/hook-delete-policy': 'before-hook-creation',
      });
      expect(pod.spec.restartPolicy).toBe('Never');
      expect(pod.spec.automountServiceAccountToken).toBe(false);
      const [c] = pod.spec.containers;
      expect(c.image).toBe(containerOf(one(objs, 'Deployment', 'gateway')).image);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(c.command.slice(0, 2)).toEqual(['node', '-e']);
      expect(c.command.slice(3)).toEqual(urlsOf(objs));
      expect(c.command.slice(3)).toHaveLength(APPS.length);
    });

    it('asks only the enabled apps, in the first one’s image', async () => {
      const objs = await renderChecked([], ['apps.gateway.enabled=false', 'apps.promotion.enabled=false']);
      const [c] = testPod(objs).spec.containers;
      expect(c.command.slice(3)).toEqual(urlsOf(objs));
      expect(c.command.slice(3).join(' ')).not.toMatch(/gateway|promotion/);
      expect(c.image).toBe(containerOf(one(objs, 'Deployment', 'auth')).image);
    });

    it('gets through the NetworkPolicies: in to every app, and out when egress is limited', async () => {
      const objs = await renderChecked([], ['networkPolicy.egress.enabled=true']);
      const pod = testPod(objs);
      for (const app of APPS) {
        const rules = one(objs, 'NetworkPolicy', app).spec.ingress.filter((r: any) =>
          (r.from ?? []).some(
            (p: any) => p.podSelector?.matchLabels['app.kubernetes.io/component'] === 'test',
          ),
        );
        expect(rules).toHaveLength(1);
        for (const [k, v] of Object.entries(rules[0].from[0].podSelector.matchLabels))
          expect(pod.metadata.labels![k]).toBe(v);
      }
      const out = byName(objs, 'NetworkPolicy', 'rel-loyalty-platform-test')!;
      expect(isHook(out)).toBe(true);
      expect(out.metadata.annotations!['helm.sh/hook']).toBe('test');
      expect(out.spec.policyTypes).toEqual(['Egress']);
      for (const [k, v] of Object.entries(out.spec.podSelector.matchLabels))
        expect(pod.metadata.labels![k]).toBe(v);
      expect(out.spec.egress[0].ports.map((p: any) => p.port)).toEqual(
        ofKind(objs, 'Service').map((s) => s.spec.ports[0].port),
      );
      for (const d of ofKind(objs, 'Deployment'))
        for (const [k, v] of Object.entries(out.spec.egress[0].to[0].podSelector.matchLabels))
          expect(d.spec.template.metadata.labels[k]).toBe(v);
    });

    it('is left out with tests.enabled=false, its NetworkPolicy rules too', async () => {
      const objs = await renderChecked([], ['tests.enabled=false', 'networkPolicy.egress.enabled=true']);
      expect(ofKind(objs, 'Pod')).toEqual([]);
      expect(byName(objs, 'NetworkPolicy', 'rel-loyalty-platform-test')).toBeUndefined();
      expect(JSON.stringify(ofKind(objs, 'NetworkPolicy'))).not.toContain('"test"');
    });

    describe('its script, run by node against local servers', () => {
      const servers: Server[] = [];
      const serve = async (status: number): Promise<string> => {
        const server = createServer((req, res) => {
          res.statusCode = req.url === '/health/ready' ? status : 404;
          res.end();
        });
        servers.push(server);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
      };
      afterAll(() => servers.forEach((s) => s.close()));

      const runScript = async (urls: string[]) => {
        const [c] = testPod(await render([DEFAULT_CI])).spec.containers;
        return new Promise<{ code: number; stdout: string }>((resolve) => {
          execFile(
            process.execPath,
            [c.command[1], c.command[2], ...urls],
            { env: { ...process.env, READY_ATTEMPTS: '2', READY_DELAY_MS: '10' }, timeout: 30_000 },
            (err, stdout) => resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout }),
          );
        });
      };

      it('succeeds when every app answers 200', async () => {
        const urls = [await serve(200), await serve(200)];
        const res = await runScript(urls);
        expect(res.code).toBe(0);
        expect(res.stdout.trim().split('\n')).toEqual(urls.map((u) => `ready      ${u}`));
      });

      it('fails, naming it, when one app is not ready or not there', async () => {
        const ready = await serve(200);
        const notReady = await serve(503);
        const gone = await serve(200);
        await new Promise((resolve) => servers.pop()!.close(resolve)); // nothing listens there now
        const res = await runScript([ready, notReady, gone]);
        expect(res.code).toBe(1);
        expect(res.stdout).toContain(`ready      ${ready}`);
        expect(res.stdout).toContain(`NOT READY  ${notReady} (HTTP 503)`);
        expect(res.stdout).toContain(`NOT READY  ${gone} (ECONNREFUSED)`);
      });
    });
  });

  describe('alerts: a PrometheusRule', () => {
    let rule: K8sObject;
    let exported: Set<string>;
    const exprOf = (alert: string) =>
      rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === alert).expr as string;
    const topology = new Topology('stage.');
    const consumers = consumerNames();

    beforeAll(async () => {
      exported = await exportedMetrics();
      const objs = await renderChecked([
        valuesFile('rule', {
          env: { NAME_PREFIX: 'stage.' },
          metrics: {
            prometheusRule: {
              enabled: true,
              namespace: 'monitoring',
              labels: { release: 'kube-prometheus-stack' },
              queueBacklog: { messages: 500, for: '15m' },
              outboxLag: { seconds: 120, for: '2m' },
            },
            rabbitmqSelector: 'namespace="rabbitmq",vhost="/"',
          },
        }),
      ]);
      const rules = ofKind(objs, 'PrometheusRule');
      expect(rules).toHaveLength(1);
      rule = rules[0];
    });

    it('is rendered only when asked', async () => {
      expect(ofKind(await render([DEFAULT_CI]), 'PrometheusRule')).toEqual([]);
      expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(rule.metadata.namespace).toBe('monitoring');
      expect(rule.metadata.labels!.release).toBe('kube-prometheus-stack');
    });

    it('alerts on dead-letter queues, queue backlog, outbox lag, dead-lettered events, the 5xx ratio and p99 latency', () => {
      const alerts = rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
      expect(alerts).toEqual([
        'LoyaltyDeadLetterQueueNotEmpty',
        'LoyaltyQueueBacklog',
        'LoyaltyOutboxLag',
        'LoyaltyEventsDeadLettered',
        'LoyaltyHighErrorRatio',
        'LoyaltyHighLatencyP99',
      ]);
      for (const r of rule.spec.groups.flatMap((g: any) => g.rules)) {
        expect(r.labels.severity).toMatch(/^(warning|critical)$/);
        expect(r.annotations.summary).toMatch(/\{\{ \$(labels\.\w+|value)/); // Prometheus' templating, not helm's
      }
      expect(exprOf('LoyaltyQueueBacklog')).toMatch(/> 500$/);
      expect(rule.spec.groups[0].rules[1].for).toBe('15m');
      expect(exprOf('LoyaltyOutboxLag')).toBe(
        'max by (app) (outbox_oldest_unpublished_age_seconds{namespace="loyalty"}) > 120',
      );
      expect(exprOf('LoyaltyEventsDeadLettered')).toContain('increase(events_dead_lettered_total{');
    });

    it('uses only metrics that exist: the apps’ own and RabbitMQ’s queue depth', () => {
      const used = rule.spec.groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricsIn(r.expr)));
      expect(used.length).toBeGreaterThan(0);
      for (const name of used)
        expect([name, exported.has(name) || RABBITMQ_METRICS.includes(name)]).toEqual([name, true]);
      for (const alert of [
        'LoyaltyOutboxLag',
        'LoyaltyEventsDeadLettered',
        'LoyaltyHighErrorRatio',
        'LoyaltyHighLatencyP99',
      ])
        expect(exprOf(alert)).toContain('namespace="loyalty"');
      for (const alert of ['LoyaltyDeadLetterQueueNotEmpty', 'LoyaltyQueueBacklog'])
        expect(exprOf(alert)).toContain(',namespace="rabbitmq",vhost="/"}');
    });

    it("watches every consumer's dead-letter queue, with this release's NAME_PREFIX", () => {
      expect(consumers.length).toBeGreaterThanOrEqual(4);
      const dlq = queueRegex(exprOf('LoyaltyDeadLetterQueueNotEmpty'), '=~');
      for (const c of consumers) {
        const queue = topology.consumerQueue(c);
        expect([c, dlq.test(topology.deadLetterQueue(queue))]).toEqual([c, true]);
        expect([c, dlq.test(queue)]).toEqual([c, false]);
        expect([
          c,
          dlq.test(new Topology('other.').deadLetterQueue(new Topology('other.').consumerQueue(c))),
        ]).toEqual([c, false]);
        expect([c, dlq.test(new Topology('').deadLetterQueue(c))]).toEqual([c, false]);
      }
    });

    it('watches the backlog of every event and RPC queue, not the dead-letter ones', () => {
      const expr = exprOf('LoyaltyQueueBacklog');
      const queues = queueRegex(expr, '=~');
      const notDlq = queueRegex(expr, '!~');
      const watched = (q: string) => queues.test(q) && !notDlq.test(q);
      for (const c of consumers) {
        expect([c, watched(topology.consumerQueue(c))]).toEqual([c, true]);
        expect([c, watched(topology.deadLetterQueue(topology.consumerQueue(c)))]).toEqual([c, false]);
      }
      // Every service's RPC queue, rpc.<service>: the webhook dispatcher's is rpc.webhooks.
      expect(Object.keys(RPC)).toContain('webhooks');
      for (const service of Object.keys(RPC))
        expect([service, watched(topology.rpcQueue(service))]).toEqual([service, true]);
      expect(watched('amq.gen-reply')).toBe(false);
      expect(watched('other.rpc.auth')).toBe(false);
    });
  });

  describe('the coupon worker on its queue: a KEDA ScaledObject', () => {
    it('is rendered only when asked; the worker keeps its CPU HPA otherwise', async () => {
      const objs = await renderChecked([], ['apps.coupon-worker.autoscaling.enabled=true']);
      expect(ofKind(objs, 'ScaledObject')).toEqual([]);
      expect(one(objs, 'HorizontalPodAutoscaler', 'coupon-worker').spec.scaleTargetRef.name).toBe(
        'rel-loyalty-platform-coupon-worker',
      );
    });

    it("scales on the generation queue's depth, with the chart's NAME_PREFIX, in place of the HPA", async () => {
      const objs = await renderChecked(
        [],
        [
          'keda.enabled=true',
          'keda.maxReplicaCount=6',
          'keda.queueLength=3',
          'env.NAME_PREFIX=stage.',
          ...APPS.map((app) => `apps.${app}.autoscaling.enabled=true`),
        ],
      );
      // KEDA makes the worker's HPA: the chart renders one for each other app only.
      expect(ofKind(objs, 'HorizontalPodAutoscaler').map(component).sort()).toEqual(
        APPS.filter((a) => a !== 'coupon-worker').sort(),
      );
      const worker = one(objs, 'Deployment', 'coupon-worker');
      expect(worker.spec.replicas).toBeUndefined();
      const scaler = one(objs, 'ScaledObject', 'coupon-worker');
      expect(scaler.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaler.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name },
        minReplicaCount: 1,
        maxReplicaCount: 6,
        pollingInterval: 15,
        cooldownPeriod: 300,
        triggers: [
          {
            type: 'rabbitmq',
            metadata: {
              queueName: new Topology('stage.').consumerQueue(GENERATION_CONSUMER),
              mode: 'QueueLength',
              value: '3',
              activationValue: '0',
              hostFromEnv: 'RABBITMQ_URL',
            },
          },
        ],
      });
      expect(scaler.spec.triggers[0].metadata.queueName).toBe('stage.coupon-worker.generation');
      // hostFromEnv: KEDA reads the variable from the worker's container (here, from the Secret).
      expect(envOf(containerOf(worker)).RABBITMQ_URL.secretKeyRef).toEqual({
        name: 'rel-loyalty-platform-connections',
        key: 'RABBITMQ_URL',
      });
    });

    it('takes the broker from a TriggerAuthentication when one is named', async () => {
      const objs = await renderChecked([], ['keda.enabled=true', 'keda.authenticationRef=rabbitmq-auth']);
      const [trigger] = one(objs, 'ScaledObject', 'coupon-worker').spec.triggers;
      expect(trigger.authenticationRef).toEqual({ name: 'rabbitmq-auth' });
      expect(trigger.metadata).not.toHaveProperty('hostFromEnv');
    });

    it('is left out without the worker, and refuses a minimum above the maximum', async () => {
      const objs = await renderChecked([], ['keda.enabled=true', 'apps.coupon-worker.enabled=false']);
      expect(ofKind(objs, 'ScaledObject')).toEqual([]);
      const stderr = await renderFails([
        'keda.enabled=true',
        'keda.minReplicaCount=5',
        'keda.maxReplicaCount=2',
      ]);
      expect(stderr).toMatch(/keda\.minReplicaCount \(5\) must not be above keda\.maxReplicaCount \(2\)/);
    });

    describe('its schema (derived from KEDA’s CRD)', () => {
      let scaler: K8sObject;
      beforeAll(async () => {
        scaler = one(await render([DEFAULT_CI], ['keda.enabled=true']), 'ScaledObject', 'coupon-worker');
        expect(validateManifest(scaler).errors).toEqual([]);
      });

      it.each(Object.keys(DERIVED_SCHEMAS))('%s is closed at every level: no field goes unchecked', (key) => {
        expect(openObjects(derivedSchema(key))).toEqual([]);
      });

      const cases: Array<[string, (s: any) => void, string]> = [
        [
          'an unknown spec field',
          (s) => (s.spec.minReplicas = 1),
          '/spec/minReplicas: unknown field (not in the schema)',
        ],
        [
          'an unknown trigger field',
          (s) => (s.spec.triggers[0].metaData = {}),
          '/spec/triggers/0/metaData: unknown field (not in the schema)',
        ],
        [
          'an unknown rabbitmq setting',
          (s) => (s.spec.triggers[0].metadata.queueNmae = 'x'),
          '/spec/triggers/0/metadata/queueNmae: unknown field (not in the schema)',
        ],
        [
          'a number where KEDA wants a string',
          (s) => (s.spec.triggers[0].metadata.value = 5),
          '/spec/triggers/0/metadata/value: must be string',
        ],
        [
          'no queue',
          (s) => delete s.spec.triggers[0].metadata.queueName,
          "/spec/triggers/0/metadata: must have required property 'queueName'",
        ],
        [
          'a string replica count',
          (s) => (s.spec.maxReplicaCount = '8'),
          '/spec/maxReplicaCount: must be integer',
        ],
        [
          'a null',
          (s) => (s.spec.pollingInterval = null),
          '/spec/pollingInterval: null (Kubernetes reads it as a field left out)',
        ],
      ];
      it.each(cases)('catches %s', (_name, mutate, error) => {
        const broken = structuredClone(scaler);
        mutate(broken);
        expect(validateManifest(broken).errors).toContain(error);
      });
    });
  });

  describe('a Grafana dashboard', () => {
    let objs: K8sObject[];
    let dashboard: any;
    let exprs: string[];
    beforeAll(async () => {
      objs = await renderChecked([
        valuesFile('dashboard', {
          env: { NAME_PREFIX: 'stage.' },
          metrics: {
            dashboard: {
              enabled: true,
              namespace: 'monitoring',
              labels: { grafana_dashboard: '0', team: 'loyalty' },
              annotations: { grafana_folder: 'Loyalty' },
            },
          },
        }),
      ]);
      dashboard = JSON.parse(
        byName(objs, 'ConfigMap', 'rel-loyalty-platform-dashboard')!.data['loyalty-platform.json'],
      );
      exprs = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    });

    it('is a ConfigMap labelled grafana_dashboard: "1", rendered only when asked', async () => {
      expect(ofKind(await render([DEFAULT_CI]), 'ConfigMap')).toEqual([]);
      const cm = byName(objs, 'ConfigMap', 'rel-loyalty-platform-dashboard')!;
      expect(cm.metadata.namespace).toBe('monitoring');
      expect(cm.metadata.labels).toMatchObject({ grafana_dashboard: '1', team: 'loyalty' });
      expect(cm.metadata.annotations).toEqual({ grafana_folder: 'Loyalty' });
      expect(Object.keys(cm.data)).toEqual(['loyalty-platform.json']);
      expect(dashboard).toMatchObject({
        uid: 'rel-loyalty-platform',
        title: 'Loyalty platform (loyalty/rel)',
      });
      expect(JSON.stringify(dashboard)).not.toContain('@@'); // every placeholder filled
      const namespace = dashboard.templating.list.find((v: any) => v.name === 'namespace');
      expect(namespace.current.value).toBe('loyalty');
    });

    it('shows requests and p99 per route, RPC latency, queue depths, vouchers and generation jobs', () => {
      const titles = dashboard.panels.filter((p: any) => p.type !== 'row').map((p: any) => p.title);
      for (const wanted of [
        /^Request rate per route$/,
        /^p99 latency per route$/,
        /^RPC p99 latency/,
        /^Queue depth/,
        /^Dead-letter queues$/,
        /voucher/i,
        /^Generation jobs created$/,
        /^Generation jobs waiting/,
        /^Outbox lag/,
        /^Events dead-lettered$/,
        /^Vouchers issued$/,
        /^Generation jobs running and finished$/,
      ])
        expect([wanted, titles.some((t: string) => wanted.test(t))]).toEqual([wanted, true]);
      for (const p of dashboard.panels.filter((p: any) => p.type !== 'row')) {
        expect(p.targets.length).toBeGreaterThan(0);
        expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      }
    });

    it('uses only metrics, RPC patterns and queue names that exist', async () => {
      const exported = await exportedMetrics();
      const used = [
        ...exprs.flatMap(metricsIn),
        ...dashboard.templating.list.flatMap((v: any) =>
          v.definition ? [/label_values\((\w+),/.exec(v.definition)![1]] : [],
        ),
      ];
      for (const name of used)
        expect([name, exported.has(name) || RABBITMQ_METRICS.includes(name)]).toEqual([name, true]);
      const patterns = new Set<string>([...Object.values(CAMPAIGN_RPC), ...Object.values(COUPON_RPC)]);
      for (const expr of exprs)
        for (const m of expr.matchAll(/pattern="([^"]+)"/g))
          expect([m[1], patterns.has(m[1])]).toEqual([m[1], true]);
      // The queue panels' regexes find the real queues of this NAME_PREFIX.
      const topology = new Topology('stage.');
      const matching = (q: string) =>
        exprs.filter((e) => e.includes('queue=~') && queueRegex(e, '=~').test(q) && !/queue!~/.test(e))
          .length +
        exprs.filter((e) => /queue!~/.test(e) && queueRegex(e, '=~').test(q) && !queueRegex(e, '!~').test(q))
          .length;
      expect(matching(topology.consumerQueue(GENERATION_CONSUMER))).toBe(2); // depth, and its own panel
      expect(matching(topology.consumerQueue('promotion.first-login-vouchers'))).toBe(2);
      expect(matching(topology.deadLetterQueue(topology.consumerQueue(GENERATION_CONSUMER)))).toBe(1);
      expect(matching(topology.rpcQueue('promotion'))).toBe(1);
      expect(matching(topology.rpcQueue('webhooks'))).toBe(1);
      expect(consumerNames()).toContain('promotion.first-login-vouchers');
    });
  });

  describe('stopping: the shutdown timeout, below the grace period', () => {
    it('gives each app SHUTDOWN_TIMEOUT_MS from its shutdownTimeoutSeconds: the worker 55 s of its 60', async () => {
      const objs = await render([DEFAULT_CI]);
      const expected: Record<string, string> = {
        gateway: '20000',
        auth: '25000',
        loyalty: '25000',
        promotion: '25000',
        'coupon-worker': '55000',
        'webhook-dispatcher': '25000',
      };
      for (const app of APPS) {
        const d = one(objs, 'Deployment', app);
        const pod = d.spec.template.spec;
        const timeoutMs = Number(envOf(containerOf(d)).SHUTDOWN_TIMEOUT_MS);
        expect([app, String(timeoutMs)]).toEqual([app, expected[app]]);
        const sleep = Number(containerOf(d).lifecycle?.preStop.exec.command[1] ?? 0);
        expect(sleep * 1000 + timeoutMs).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
      }
      expect(one(objs, 'Deployment', 'coupon-worker').spec.template.spec.terminationGracePeriodSeconds).toBe(
        60,
      );
      for (const c of jobContainers(objs)) expect(envNames(c)).not.toContain('SHUTDOWN_TIMEOUT_MS');
    });

    it.each([
      [
        'apps.coupon-worker.shutdownTimeoutSeconds=60',
        /apps\.coupon-worker\.shutdownTimeoutSeconds \(60\) plus preStopSleepSeconds \(0\) must be below terminationGracePeriodSeconds \(60\)/,
      ],
      [
        'apps.gateway.shutdownTimeoutSeconds=25',
        /apps\.gateway\.shutdownTimeoutSeconds \(25\) plus preStopSleepSeconds \(5\) must be below terminationGracePeriodSeconds \(30\)/,
      ],
      [
        'apps.auth.terminationGracePeriodSeconds=20',
        /apps\.auth\.shutdownTimeoutSeconds \(25\) plus preStopSleepSeconds \(0\) must be below terminationGracePeriodSeconds \(20\)/,
      ],
    ])('refuses %s', async (set, message) => {
      expect(await renderFails([set])).toMatch(message);
    });

    it('renders a longer timeout with a longer grace period', async () => {
      const objs = await render(
        [DEFAULT_CI],
        [
          'apps.coupon-worker.shutdownTimeoutSeconds=110',
          'apps.coupon-worker.terminationGracePeriodSeconds=120',
        ],
      );
      expect(envOf(containerOf(one(objs, 'Deployment', 'coupon-worker'))).SHUTDOWN_TIMEOUT_MS).toBe('110000');
    });
  });

  describe('MIGRATE_ON_START: the apps leave migrating to the Job', () => {
    it('is "false" in every app that owns data while the Job runs, unset in the Job and the gateway', async () => {
      const objs = await render([DEFAULT_CI]);
      for (const app of MIGRATING)
        expect([app, envOf(containerOf(one(objs, 'Deployment', app))).MIGRATE_ON_START]).toEqual([
          app,
          'false',
        ]);
      expect(envOf(containerOf(one(objs, 'Deployment', 'gateway'))).MIGRATE_ON_START).toBeUndefined();
      for (const c of jobContainers(objs)) expect(envNames(c)).not.toContain('MIGRATE_ON_START');
    });

    it('wins over an env value while the Job runs (it has migrated already)', async () => {
      const objs = await render([DEFAULT_CI], ['env.MIGRATE_ON_START=true']);
      for (const app of MIGRATING) {
        const c = containerOf(one(objs, 'Deployment', app));
        expect([app, envNames(c).filter((n) => n === 'MIGRATE_ON_START')]).toEqual([
          app,
          ['MIGRATE_ON_START'],
        ]);
        expect([app, envOf(c).MIGRATE_ON_START]).toEqual([app, 'false']);
      }
    });

    it('is left unset without the Job: the apps migrate at start', async () => {
      const objs = await render([DEFAULT_CI], ['migrations.enabled=false']);
      for (const d of ofKind(objs, 'Deployment'))
        expect(envNames(containerOf(d))).not.toContain('MIGRATE_ON_START');
    });
  });

  it('refuses apps with different NAME_PREFIXes (they share the queues)', async () => {
    expect(await renderFails(['env.NAME_PREFIX=a.', 'apps.loyalty.env.NAME_PREFIX=b.'])).toMatch(
      /every app needs the same NAME_PREFIX .* \["a\.","b\."\]/,
    );
  });

  describe("deploy/README.md's parameters table (scripts/chart-params.mjs)", () => {
    const script = join(ROOT, 'scripts', 'chart-params.mjs');
    const check = (readme?: string) => {
      try {
        return {
          code: 0,
          out: execFileSync(process.execPath, [script, '--check', ...(readme ? ['--readme', readme] : [])], {
            encoding: 'utf8',
            stdio: 'pipe',
          }),
        };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { code: e.status, out: e.stderr };
      }
    };

    it('is up to date with values.schema.json and values.yaml', () => {
      expect(check()).toEqual({ code: 0, out: expect.stringContaining('up to date') });
    });

    it('is reported stale when a parameter is missing from it', () => {
      const page = readFileSync(join(ROOT, 'deploy', 'README.md'), 'utf8');
      const row = page.split('\n').find((l) => l.startsWith('| `apps.<app>.shutdownTimeoutSeconds`'))!;
      expect(row).toContain('`25`; gateway: `20`; coupon-worker: `55`');
      const stale = join(tmp, 'README.md');
      writeFileSync(stale, page.replace(`${row}\n`, ''));
      expect(check(stale)).toEqual({ code: 1, out: expect.stringContaining('parameters table differs') });
    });
  });
});
