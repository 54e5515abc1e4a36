import type { AddressInfo } from 'node:net';
import { TestIsolation } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../apps/auth/src/audit/append-audit-entry.consumer';
import { NOTIFICATIONS_CONSUMER } from '../../apps/auth/src/notifications/send-notifications.consumer';
import { ensureSchemathesis, runSchemathesis, Schemathesis } from '../support/fuzz/schemathesis';
import { ADMIN_ENV, admin } from '../support/identity-client';
import { IdentityStack, startIdentityStack } from '../support/stack';

/**
 * Schemathesis against auth's administration routes (users, audit log, stats) as the admin: no
 * 5xx, every answer as documented, schema-breaking requests refused, and no route served without
 * a token. (The platform-wide fuzz test runs as a member, who only ever gets 403 here.)
 */
describe('OpenAPI fuzz of the administration routes, as an admin', () => {
  const iso = new TestIsolation('admin-fuzz');
  let stack: IdentityStack | undefined;
  let st: Schemathesis;
  let baseUrl: string;
  let bearer: string;

  beforeAll(async () => {
    iso.queue(AUDIT_CONSUMER);
    iso.queue(NOTIFICATIONS_CONSUMER);
    const install = ensureSchemathesis();
    install.catch(() => undefined);
    stack = await startIdentityStack(iso, { authEnv: ADMIN_ENV, gateway: { rpcTimeoutMs: 1000 } });
    await stack.gateway.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(stack.gateway.getHttpServer().address() as AddressInfo).port}`;
    bearer = (await admin(stack.http)).accessToken;
    st = await install;
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('finds no 5xx and no response that breaks the documented contract', async () => {
    const result = await runSchemathesis(st, {
      baseUrl,
      schemaPath: '/docs-json',
      headers: { Authorization: `Bearer ${bearer}` },
      checks: [
        'not_a_server_error',
        'response_schema_conformance',
        'status_code_conformance',
        'content_type_conformance',
        'ignored_auth',
        'negative_data_rejection',
      ],
      maxExamples: 60,
      seed: 20261125,
      workers: 1,
      // Auth's admin routes only (the other areas' admin routes belong to their own tests).
      extraArgs: [
        '--include-path-regex',
        '^/v1/admin/(users|audit-logs|stats)',
        '--output-sanitize',
        'false',
      ],
      timeoutMs: 150_000,
    });
    expect(result.report?.operations?.tested).toBe(6);
    if (result.code !== 0)
      throw new Error(`${result.command}\n\n${result.output.replaceAll(bearer, '$TOKEN')}`);
  }, 180_000);
});
