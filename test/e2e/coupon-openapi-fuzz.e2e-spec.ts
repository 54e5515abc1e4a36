import type { AddressInfo } from 'node:net';
import { TestIsolation } from '@lib/testing';
import { ensureSchemathesis, runSchemathesis, Schemathesis } from '../support/fuzz/schemathesis';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

const CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
  'ignored_auth',
  'negative_data_rejection',
];

/**
 * Schemathesis against the coupon routes with the real promotion service behind the gateway: no 5xx, every answer as documented, schema-breaking requests refused, no route
 * served without a token. Members' routes as a member; the admin routes as the admin.
 */
describe('OpenAPI fuzz of the coupon routes', () => {
  const iso = new TestIsolation('coupon-fuzz');
  let stack: PlatformStack | undefined;
  let st: Schemathesis;
  let baseUrl: string;

  beforeAll(async () => {
    const install = ensureSchemathesis();
    install.catch(() => undefined);
    // No coupon worker: the fuzzer queues jobs of up to 10M codes by the hundred, and generating them
    // is not what this checks (coupon-books and coupon-worker-crash test the worker).
    stack = await startPlatformStack(iso, { services: ['promotion'], authEnv: ADMIN_ENV });
    await stack.gateway.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(stack.gateway.getHttpServer().address() as AddressInfo).port}`;
    st = await install;
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  const fuzz = async (bearer: string, pathRegex: string, operations: number) => {
    const result = await runSchemathesis(st, {
      baseUrl,
      schemaPath: '/docs-json',
      headers: { Authorization: `Bearer ${bearer}` },
      checks: CHECKS,
      maxExamples: 30,
      seed: 20261125,
      workers: 1,
      extraArgs: ['--include-path-regex', pathRegex, '--output-sanitize', 'false'],
      timeoutMs: 150_000,
    });
    expect(result.report?.operations?.tested).toBe(operations);
    if (result.code !== 0)
      throw new Error(`${result.command}\n\n${result.output.replaceAll(bearer, '$TOKEN')}`);
  };

  it("a member's routes: assignments, my coupons, lock, release, redemptions", async () => {
    const m = await member(stack!.http);
    await fuzz(m.accessToken, '^/v1/(coupon-books|coupons)/', 5);
  }, 180_000);

  it('the admin routes: books, uploads, generation jobs', async () => {
    const boss = await admin(stack!.http);
    await fuzz(boss.accessToken, '^/v1/admin/(coupon-books|generation-jobs)', 7);
  }, 180_000);
});
