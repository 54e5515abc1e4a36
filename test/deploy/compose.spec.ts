/**
 * docker-compose.yml, checked as a document: no Docker engine is needed (or used). What compose
 * itself would do (build, start, run the healthchecks) is not exercised here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const APPS: Record<string, number> = {
  gateway: 3000,
  auth: 3001,
  loyalty: 3002,
  promotion: 3003,
  'coupon-worker': 3004,
  'webhook-dispatcher': 3005,
};
const INFRA = ['mongo', 'redis', 'rabbitmq'];
const MIGRATING = ['auth', 'loyalty', 'promotion', 'coupon-worker', 'webhook-dispatcher'];

// Compose resolves YAML merge keys (<<), as `merge: true` does here.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const services: Record<string, any> = compose.services;

const commandText = (svc: any) =>
  Array.isArray(svc.command) ? svc.command.join(' ') : String(svc.command ?? '');
const healthText = (svc: any) =>
  Array.isArray(svc.healthcheck?.test) ? svc.healthcheck.test.join(' ') : String(svc.healthcheck?.test ?? '');
const envOf = (svc: any): Record<string, string> => {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((kv: string) => kv.split(/=(.*)/s).slice(0, 2)));
  return env;
};
const volumesOf = (svc: any): string[] =>
  (svc.volumes ?? []).map((v: any) =>
    typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`,
  );
const dependsOn = (svc: any): Record<string, string> => {
  const d = svc.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(d).map(([name, v]: [string, any]) => [name, v?.condition ?? 'service_started']),
  );
};

describe('docker-compose.yml', () => {
  it('has the infrastructure, keygen, migrate and every app (and Jaeger, in a profile)', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...INFRA, 'keygen', 'migrate', ...Object.keys(APPS), 'jaeger'].sort(),
    );
    expect(compose.name).toBe('loyalty-platform');
  });

  it('runs MongoDB 7.0+ as a single-node replica set that its healthcheck initiates', () => {
    const mongo = services.mongo;
    expect(mongo.image).toMatch(/^mongo:(7\.0|8\.0)(\.\d+)?$/);
    expect(commandText(mongo)).toMatch(/--replSet rs0/);
    expect(healthText(mongo)).toMatch(
      /rs\.initiate\(\{ _id: 'rs0', members: \[\{ _id: 0, host: 'mongo:27017' \}\] \}\)/,
    );
    expect(healthText(mongo)).toMatch(/isWritablePrimary/);
    expect(volumesOf(mongo)).toContain('mongo-data:/data/db');
    expect(compose.volumes).toHaveProperty('mongo-data');
  });

  it('runs Redis, and RabbitMQ with the management plugin', () => {
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.rabbitmq.image).toMatch(/^rabbitmq:[\d.]+-management/);
  });

  it('gives every long-running service a healthcheck', () => {
    for (const name of [...INFRA, ...Object.keys(APPS)]) {
      const hc = services[name].healthcheck;
      expect(hc?.test).toBeDefined();
      expect(hc.interval).toBeDefined();
      expect(hc.retries).toBeGreaterThan(0);
    }
    for (const app of Object.keys(APPS)) expect(healthText(services[app])).toMatch(/\/health\/ready/);
  });

  it.each(Object.entries(APPS))(
    'builds and runs %s on port %d, read-only, after the migrations',
    (app, port) => {
      const svc = services[app];
      expect(svc.build).toEqual({ context: '.', dockerfile: 'deploy/Dockerfile', args: { APP: app } });
      expect(envOf(svc)).toMatchObject({
        APP_NAME: app,
        PORT: String(port),
        JWT_ISSUER: 'loyalty-platform',
        JWT_AUDIENCE: 'loyalty-api',
      });
      expect(svc.read_only).toBe(true);
      expect(svc.tmpfs).toEqual(['/tmp']);
      expect(svc.init).toBe(true);
      expect(svc.command).toBeUndefined(); // the image's CMD
      const deps = dependsOn(svc);
      for (const infra of INFRA) expect(deps[infra]).toBe('service_healthy');
      expect(deps.migrate).toBe('service_completed_successfully');
      for (const name of Object.keys(deps)) expect(services).toHaveProperty(name);
    },
  );

  it('publishes the gateway on 3000 (loopback only), and no other app', () => {
    expect(services.gateway.ports).toEqual(['127.0.0.1:${GATEWAY_PORT:-3000}:3000']);
    for (const app of Object.keys(APPS).filter((a) => a !== 'gateway'))
      expect(services[app].ports).toBeUndefined();
  });

  it('runs Jaeger only in the tracing profile; apps trace only when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    const jaeger = services.jaeger;
    expect(jaeger.profiles).toEqual(['tracing']);
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(jaeger.ports).toEqual([
      '127.0.0.1:${JAEGER_UI_HOST_PORT:-16686}:16686',
      '127.0.0.1:${OTLP_HTTP_HOST_PORT:-4318}:4318',
    ]);
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.profiles) expect([name, 'jaeger' in dependsOn(svc)]).toEqual([name, false]);
    }
    for (const app of Object.keys(APPS))
      expect(envOf(services[app]).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
  });

  it('points the services that own data at the replica set', () => {
    for (const app of MIGRATING)
      expect(envOf(services[app]).MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27017\/\?replicaSet=rs0$/);
  });

  it('makes the JWT key once with keygen, into a volume only auth mounts, read-only', () => {
    const keygen = services.keygen;
    expect(keygen.build.args).toEqual({ APP: 'auth' });
    expect(commandText(keygen)).toMatch(/node dist\/apps\/auth\/src\/main\.js keygen \/keys(\s|'|$)/);
    expect(keygen.restart).toBe('no');
    expect(keygen.read_only).toBe(true);
    expect(volumesOf(keygen)).toEqual(['jwt-keys:/keys']); // writable: keygen writes the key
    // Started as root only to hand the new (root-owned) volume to uid 1000, then runs as 1000.
    expect(commandText(keygen)).toMatch(/chown 1000:1000 \/keys.*setpriv --reuid=1000 --regid=1000/);
    expect(keygen.cap_drop).toEqual(['ALL']);
    expect(compose.volumes).toHaveProperty('jwt-keys');

    const auth = services.auth;
    expect(volumesOf(auth)).toEqual(['jwt-keys:/keys:ro']);
    expect(envOf(auth).JWT_PRIVATE_KEY_FILE).toBe('/keys/jwt-private.pem');
    expect(dependsOn(auth).keygen).toBe('service_completed_successfully');
    for (const app of Object.keys(APPS).filter((a) => a !== 'auth')) {
      expect(volumesOf(services[app])).toEqual([]);
      expect(envOf(services[app])).not.toHaveProperty('JWT_PRIVATE_KEY_FILE');
    }
    // No other service (migrate included) mounts the key or waits for keygen.
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'keygen' || name === 'auth') continue;
      expect([name, volumesOf(svc).filter((v) => v.startsWith('jwt-keys:'))]).toEqual([name, []]);
      expect([name, 'keygen' in dependsOn(svc)]).toEqual([name, false]);
    }
  });

  it("gives auth's secrets (signing key file, bootstrap administrator, SMTP URL) to auth only", () => {
    expect(envOf(services.auth)).toMatchObject({
      JWT_PRIVATE_KEY_FILE: '/keys/jwt-private.pem',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: 'local-dev-admin-pw',
      SMTP_URL: '${SMTP_URL:-}', // from the shell or .env; empty: mails go to auth's log
    });
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'auth') continue;
      const authOnly = Object.keys(envOf(svc)).filter((k) =>
        /^(ADMIN_|JWT_PRIVATE_KEY|JWT_PREVIOUS|SMTP_)/.test(k),
      );
      expect([name, authOnly]).toEqual([name, []]);
    }
  });

  it('runs the migrations once, for every app that owns data, after MongoDB, Redis and RabbitMQ', () => {
    const migrate = services.migrate;
    expect(migrate.restart).toBe('no');
    expect(migrate.healthcheck).toBeUndefined();
    const script = commandText(migrate);
    expect(script).toMatch(/set -e/);
    expect(script).toMatch(new RegExp(`for app in ${MIGRATING.join(' ')};`));
    expect(script).toMatch(/node dist\/apps\/\$\$app\/src\/main\.js migrate/);
    const deps = dependsOn(migrate);
    expect(deps).toEqual(Object.fromEntries(INFRA.map((infra) => [infra, 'service_healthy'])));
    // `migrate` boots each app's collections, indexes and migrations only: it needs the connection
    // URLs, and neither auth's key (no volume, no keygen) nor the admin credentials.
    expect(volumesOf(migrate)).toEqual([]);
    const env = envOf(migrate);
    expect(env).toMatchObject({
      MONGODB_URI: expect.stringMatching(/^mongodb:\/\/mongo:27017\//),
      REDIS_URL: expect.stringMatching(/^redis:\/\//),
      RABBITMQ_URL: expect.stringMatching(/^amqp:\/\//),
    });
    for (const key of ['JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_FILE', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'])
      expect(env).not.toHaveProperty(key);
    expect(migrate.read_only).toBe(true);
  });

  it('runs the webhook dispatcher with https-only, public-only targets unless the developer opts in', () => {
    // Compose substitutes ${VAR:-default} from the shell or .env: unset, the dispatcher gets false
    // and no private range, the app's production defaults.
    expect(envOf(services['webhook-dispatcher'])).toMatchObject({
      WEBHOOKS_ALLOW_HTTP: '${WEBHOOKS_ALLOW_HTTP:-false}',
      WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '${WEBHOOKS_ALLOWED_PRIVATE_CIDRS:-}',
    });
    // A receiver on the developer's machine is reachable by name, once allowed.
    expect(services['webhook-dispatcher'].extra_hosts).toEqual(['host.docker.internal:host-gateway']);
    for (const [name, svc] of Object.entries(services)) {
      if (name === 'webhook-dispatcher') continue;
      const webhooks = Object.keys(envOf(svc)).filter((k) => k.startsWith('WEBHOOKS_'));
      expect([name, webhooks]).toEqual([name, []]);
    }
  });

  it('holds no secret but the documented local-development defaults', () => {
    // The only credentials in the file: RabbitMQ's guest/guest and the local admin password.
    const allowed = new Set(['local-dev-admin-pw', 'amqp://guest:guest@rabbitmq:5672']);
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, raw] of Object.entries(envOf(svc))) {
        const value = String(raw);
        const where = `${name}.environment.${key}=${value}`;
        if (allowed.has(value)) continue;
        expect([where, /PASSWORD|SECRET|TOKEN|PRIVATE_KEY$|API_KEY/.test(key)]).toEqual([where, false]);
        expect([where, /:\/\/[^/@\s]+:[^/@\s]+@/.test(value)]).toEqual([where, false]); // user:password@ in a URL
        expect([where, /-----BEGIN|[A-Za-z0-9+/=_-]{32,}/.test(value)]).toEqual([where, false]); // keys, tokens
      }
    }
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(text).not.toMatch(/-----BEGIN/);
    expect(text.match(/local-dev-admin-pw/g)).toHaveLength(1);
  });
});
