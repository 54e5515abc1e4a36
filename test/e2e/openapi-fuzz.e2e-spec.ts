import type { AddressInfo } from 'node:net';
import { Metrics } from '@lib/observability';
import { TestIsolation } from '@lib/testing';
import { ensureSchemathesis, FuzzResult, runSchemathesis, Schemathesis } from '../support/fuzz/schemathesis';
import { ADMIN_ENV, admin, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

/**
 * Schemathesis fuzzes every operation of the gateway's own OpenAPI document (/docs-json) over
 * real TCP, with the real auth, loyalty and promotion services, MongoDB, Redis and RabbitMQ behind
 * it: the members' routes as a logged-in member, the admin routes as the admin.
 *
 * Checks: no 5xx (500 is documented on every route, so only not_a_server_error catches it), every
 * response matches its documented schema, status code, content type and headers, and the routes
 * that declare bearer auth refuse the same request without a token or with a bad one
 * (ignored_auth), and that schema-breaking requests are refused (negative_data_rejection). Not
 * checked: unsupported_method (undeclared methods answer 404, not 405).
 *
 * OPENAPI_FUZZ_ARGS adds `st run` options when investigating, e.g. `--continue-on-failure`.
 */
const CHECKS = [
  'not_a_server_error',
  'response_schema_conformance',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'ignored_auth',
  // Every request that breaks the documented schema must be refused (never accepted, never 5xx).
  // Its mirror, positive_data_acceptance, is left out on purpose: a schema-valid request may still
  // break a business rule that the contract answers with 400 (an unknown invite code is
  // INVITE_INVALID), so it would flag correct behaviour.
  'negative_data_rejection',
];
const MAX_EXAMPLES = 40; // per operation and phase: ~1 min for the whole API here
const SEED = 20240605;
/** The document must list at least these (it may list more). */
const EXPECTED_OPERATIONS = [
  'POST /v1/auth/register',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'GET /v1/me',
  'GET /v1/groups/me',
  'POST /v1/groups/me/invites',
  'GET /.well-known/jwks.json',
  'POST /v1/purchases',
  'GET /v1/points',
  'POST /v1/redemptions',
  'POST /v1/admin/groups/{groupId}/transactions',
  'POST /v1/admin/campaigns',
  'PATCH /v1/admin/campaigns/{campaignId}',
  'GET /v1/vouchers/me',
  'POST /v1/admin/coupon-books',
  'POST /v1/coupon-books/{couponBookId}/assignments',
  'POST /v1/coupons/{code}/lock',
  'GET /v1/admin/users',
  'GET /v1/admin/audit-logs/verify',
  'GET /v1/admin/stats',
];
const ADMIN_PATHS = '^/v1/admin/';

interface Operation {
  label: string; // "GET /v1/me", as schemathesis names it
  route: string; // Fastify's route template, as the gateway's metrics label it
  secured: boolean;
}

describe('OpenAPI fuzz: schemathesis against the running platform', () => {
  const iso = new TestIsolation('fuzz');
  let stack: PlatformStack | undefined;
  let st: Schemathesis;
  let baseUrl: string;
  let operations: Operation[];

  beforeAll(async () => {
    // The one-time install (cold cache: ~10-60 s) overlaps with starting the stack.
    const install = ensureSchemathesis();
    install.catch(() => undefined); // awaited below: not an unhandled rejection meanwhile
    // No coupon worker: the fuzzer queues generation jobs of up to 10M codes, and generating them
    // is not what this checks (the coupon tests cover the worker).
    stack = await startPlatformStack(iso, { services: ['loyalty', 'promotion'], authEnv: ADMIN_ENV });
    await stack.gateway.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(stack.gateway.getHttpServer().address() as AddressInfo).port}`;
    operations = documentedOperations((await stack.http().get('/docs-json').expect(200)).body);
    st = await install;
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
  });

  it('documents every area of the API', () => {
    expect(operations.map((op) => op.label)).toEqual(expect.arrayContaining(EXPECTED_OPERATIONS));
  });

  it("finds no 5xx and no response that breaks the contract on the members' routes, as a member", async () => {
    const { accessToken } = await member(stack!.http);
    await fuzz(accessToken, ['--exclude-path-regex', ADMIN_PATHS], (op) => !isAdmin(op));
  }, 240_000);

  it('finds no 5xx and no response that breaks the contract on the admin routes, as an admin', async () => {
    const { accessToken } = await admin(stack!.http);
    await fuzz(accessToken, ['--include-path-regex', ADMIN_PATHS], isAdmin);
  }, 240_000);

  const isAdmin = (op: Operation) => new RegExp(ADMIN_PATHS).test(op.label.split(' ')[1]);

  async function fuzz(bearer: string, select: string[], selected: (op: Operation) => boolean) {
    const metrics = stack!.gateway.get(Metrics);
    const before = await requestCounts(metrics);
    const result = await runSchemathesis(st, {
      baseUrl,
      schemaPath: '/docs-json',
      headers: { Authorization: `Bearer ${bearer}` },
      checks: CHECKS,
      maxExamples: MAX_EXAMPLES,
      seed: SEED,
      workers: 1,
      // Its default hides every token and password in the report, which makes the curl commands
      // useless: these are a throwaway user's, on a stack that is gone when the test ends.
      extraArgs: [
        ...select,
        '--output-sanitize',
        'false',
        ...(process.env.OPENAPI_FUZZ_ARGS ?? '').split(/\s+/).filter(Boolean),
      ],
      timeoutMs: 200_000,
    });
    const served = subtract(await requestCounts(metrics), before);
    const ops = operations.filter(selected);
    const problems = [...reportProblems(result, ops), ...servedProblems(served, ops)];
    if (problems.length) {
      throw new Error(
        `The OpenAPI fuzz run failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n\n` +
          `${result.command}\n\n${result.output.replaceAll(bearer, '$TOKEN')}`,
      );
    }
  }
});

/** Every operation in the document, with its Fastify route template and whether it needs a token. */
function documentedOperations(doc: {
  security?: unknown[];
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}): Operation[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => methods.includes(method))
      .map(([method, op]) => ({
        label: `${method.toUpperCase()} ${path}`,
        route: `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        secured: (op.security ?? doc.security ?? []).length > 0,
      })),
  );
}

/** What schemathesis says: exit code, its JSON run report, and that it really tested everything. */
function reportProblems(result: FuzzResult, operations: Operation[]): string[] {
  const { code, report } = result;
  if (!report) return [`schemathesis exited with ${code} and wrote no JSON report`];
  const problems: string[] = [];
  if (code !== 0) problems.push(`schemathesis exited with ${code}`);
  if (!report.complete || report.stop_reason !== 'completed') {
    problems.push(`the run did not complete (stop reason: ${report.stop_reason})`);
  }
  for (const f of report.failures) {
    problems.push(`${f.code} ${f.title}: ${f.count}× in ${f.operations.join(', ')}`);
  }
  for (const e of report.errors) problems.push(`error: ${e.title} (${e.count}×)`);
  const tested = report.operations?.tested ?? 0;
  if (tested !== operations.length) {
    problems.push(`${tested} operations tested, ${operations.length} documented`);
  }
  // Floor: a run that generated (almost) nothing proves nothing. A full run makes ~600 here.
  const floor = operations.length * 20;
  if (report.test_cases.generated < floor) {
    problems.push(`only ${report.test_cases.generated} test cases generated (expected >= ${floor})`);
  }
  return problems;
}

/**
 * What the gateway says it served during the run (its own request metrics): no 5xx whatever
 * schemathesis concluded, every operation reached, and on each route that needs a token both
 * answers, so the fuzzer got past authentication (the token works) and was refused without it.
 */
function servedProblems(served: Map<string, number>, operations: Operation[]): string[] {
  const problems: string[] = [];
  const statusOf = (key: string) => Number(key.split(' ').pop());
  const answered = (route: string, status: (s: number) => boolean) =>
    [...served.keys()].some((key) => key.startsWith(`${route} `) && status(statusOf(key)));
  for (const [key, n] of served) {
    if (statusOf(key) >= 500) problems.push(`the gateway answered ${key} ${n}×`);
  }
  for (const op of operations) {
    if (!answered(op.route, () => true)) problems.push(`${op.label} was never requested`);
    // Past authentication at least once: the token works. (Not necessarily 2xx: a random id in
    // the path is a 404 for most of the fuzzer's requests, and that is the right answer.)
    if (op.secured && !answered(op.route, (s) => s !== 401 && s !== 403)) {
      problems.push(`${op.label} was never let past authentication: was the bearer token refused?`);
    }
    if (op.secured && !answered(op.route, (s) => s === 401)) {
      problems.push(`${op.label} was never answered 401 (the ignored_auth probes did not run?)`);
    }
  }
  return problems;
}

/** Requests served so far by "METHOD route status", from the gateway's latency histogram. */
async function requestCounts(metrics: Metrics): Promise<Map<string, number>> {
  const { values } = await metrics.httpDuration.get();
  return new Map(
    values
      .filter((v) => v.metricName === 'http_request_duration_seconds_count')
      .map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]),
  );
}

function subtract(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const).filter(([, n]) => n > 0));
}
