import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { Metrics } from '@lib/observability';
import { TestIsolation } from '@lib/testing';
import { ensureSchemathesis, FuzzResult, runSchemathesis, Schemathesis } from '../support/fuzz/schemathesis';
import { ADMIN_ENV, admin, apiClient, member } from '../support/identity-client';
import { PlatformStack, startPlatformStack } from '../support/stack';

/**
 * Schemathesis fuzzes every operation of the gateway's own OpenAPI document (/docs-json) over
 * real TCP, with the real auth, loyalty and promotion services, MongoDB, Redis and RabbitMQ behind
 * it: the members' routes as a logged-in member, the admin routes as the admin, the routes for API
 * clients (those whose only security is the oauth2 scheme, and redemptions, which clients may
 * use too) with a client token holding every scope, and the token endpoint with a client's HTTP
 * Basic credentials and generated form bodies.
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
  'POST /v1/oauth/token',
  'POST /v1/purchases',
  'GET /v1/members/{userId}/points',
  'GET /v1/points',
  'POST /v1/redemptions',
  'POST /v1/admin/groups/{groupId}/transactions',
  'POST /v1/purchases/{purchaseId}/refunds',
  'POST /v1/redemptions/{redemptionId}/reversal',
  'GET /v1/admin/points-policy',
  'PUT /v1/admin/points-policy',
  'GET /v1/admin/tiers',
  'PUT /v1/admin/tiers',
  'POST /v1/admin/campaigns',
  'PATCH /v1/admin/campaigns/{campaignId}',
  'GET /v1/vouchers/me',
  'POST /v1/admin/coupon-books',
  'POST /v1/coupon-books/{couponBookId}/assignments',
  'POST /v1/coupons/{code}/lock',
  'GET /v1/admin/users',
  'POST /v1/admin/api-clients',
  'DELETE /v1/admin/api-clients/{clientId}',
  'GET /v1/admin/audit-logs/verify',
  'GET /v1/admin/stats',
];
const ADMIN_PATHS = '^/v1/admin/';
const TOKEN_PATH = '^/v1/oauth/token$';
/** Shared by people and API clients; fuzzed in both runs, naming a member only in the clients'. */
const SHARED_WITH_CLIENTS = ['POST /v1/redemptions'];
/**
 * For admins and API clients, not members (who get 403 whatever they send), outside /v1/admin/:
 * fuzzed in the admins' run and the clients'.
 */
const ADMINS_AND_CLIENTS = ['POST /v1/redemptions/{redemptionId}/reversal'];
const ALL_SCOPES = [
  'purchases:write',
  'redemptions:write',
  'payer-transactions:write',
  'vouchers:redeem',
  'members:read',
];

interface Operation {
  label: string; // "GET /v1/me", as schemathesis names it
  route: string; // Fastify's route template, as the gateway's metrics label it
  /** A token is required (optional authentication, as on the token endpoint, is not). */
  secured: boolean;
  /** Only API clients may call it: its one security scheme is oauth2. */
  clientOnly: boolean;
  /** schemathesis' ignored_auth can probe it: one requirement, of an http or apiKey scheme. */
  probedBySchemathesis: boolean;
}

describe('OpenAPI fuzz: schemathesis against the running platform', () => {
  const iso = new TestIsolation('fuzz');
  let stack: PlatformStack | undefined;
  let st: Schemathesis;
  let baseUrl: string;
  let operations: Operation[];
  let document: OpenApiDocument;

  beforeAll(async () => {
    // The one-time install (cold cache: ~10-60 s) overlaps with starting the stack.
    const install = ensureSchemathesis();
    install.catch(() => undefined); // awaited below: not an unhandled rejection meanwhile
    // No coupon worker: the fuzzer queues generation jobs of up to 10M codes, and generating them
    // is not what this checks (the coupon tests cover the worker). The webhook dispatcher runs with
    // its production defaults: https and public targets only.
    stack = await startPlatformStack(iso, {
      services: ['loyalty', 'promotion', 'webhook-dispatcher'],
      authEnv: ADMIN_ENV,
    });
    await stack.gateway.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(stack.gateway.getHttpServer().address() as AddressInfo).port}`;
    document = (await stack.http().get('/docs-json').expect(200)).body;
    operations = documentedOperations(document);
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
    await fuzz(
      `Bearer ${accessToken}`,
      (op) => !isAdmin(op) && !isToken(op) && !op.clientOnly && !ADMINS_AND_CLIENTS.includes(op.label),
    );
  }, 240_000);

  it('finds no 5xx and no response that breaks the contract on the admin routes, as an admin', async () => {
    const { accessToken } = await admin(stack!.http);
    await fuzz(`Bearer ${accessToken}`, (op) => isAdmin(op) || ADMINS_AND_CLIENTS.includes(op.label));
  }, 240_000);

  it("finds no 5xx and no response that breaks the contract on the API clients' routes, as a client", async () => {
    const till = await apiClient(stack!.http, (await admin(stack!.http)).auth, ALL_SCOPES);
    // Purchases and redemptions name a member: the fuzzer picks real ones (else every request would
    // stop at UNKNOWN_MEMBER and none would reach the ledger), from a copy of the document.
    const members = [(await member(stack!.http)).userId, (await member(stack!.http)).userId];
    const forClients = (op: Operation) =>
      op.clientOnly || SHARED_WITH_CLIENTS.includes(op.label) || ADMINS_AND_CLIENTS.includes(op.label);
    await fuzz(`Bearer ${till.accessToken}`, forClients, withMembers(document, members));
  }, 240_000);

  it('finds no 5xx and no answer that breaks the contract on the token endpoint, with form bodies', async () => {
    const till = await apiClient(stack!.http, (await admin(stack!.http)).auth, ALL_SCOPES);
    const basic = Buffer.from(`${till.clientId}:${till.clientSecret}`).toString('base64');
    await fuzz(`Basic ${basic}`, isToken);
  }, 240_000);

  const isAdmin = (op: Operation) => new RegExp(ADMIN_PATHS).test(op.label.split(' ')[1]);
  const isToken = (op: Operation) => new RegExp(TOKEN_PATH).test(op.label.split(' ')[1]);

  /**
   * One schemathesis run with this Authorization header, over the selected operations of the
   * served document or, when given, of a copy of it (written to a file; requests still go to the
   * gateway).
   */
  async function fuzz(authorization: string, selected: (op: Operation) => boolean, copy?: OpenApiDocument) {
    const dir = copy ? await mkdtemp(join(os.tmpdir(), 'loyalty-fuzz-doc-')) : undefined;
    try {
      const schemaFile = dir ? join(dir, 'openapi.json') : undefined;
      if (schemaFile) await writeFile(schemaFile, JSON.stringify(copy));
      await fuzzOnce(authorization, selected, schemaFile);
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  async function fuzzOnce(
    authorization: string,
    selected: (op: Operation) => boolean,
    schemaFile: string | undefined,
  ) {
    const secret = authorization.split(' ')[1];
    const ops = operations.filter(selected);
    // One filter: schemathesis excludes only what matches every exclusion given.
    const select = ['--include-name-regex', exactly(ops)];
    const metrics = stack!.gateway.get(Metrics);
    const before = await requestCounts(metrics);
    const result = await runSchemathesis(st, {
      ...(schemaFile ? { baseUrl: '', schemaPath: schemaFile } : { baseUrl, schemaPath: '/docs-json' }),
      headers: { Authorization: authorization },
      checks: CHECKS,
      maxExamples: MAX_EXAMPLES,
      seed: SEED,
      workers: 1,
      // Its default hides every token and password in the report, which makes the curl commands
      // useless: these are a throwaway user's, on a stack that is gone when the test ends.
      extraArgs: [
        ...select,
        ...(schemaFile ? ['--url', baseUrl] : []),
        '--output-sanitize',
        'false',
        ...(process.env.OPENAPI_FUZZ_ARGS ?? '').split(/\s+/).filter(Boolean),
      ],
      timeoutMs: 200_000,
    });
    const served = subtract(await requestCounts(metrics), before);
    const problems = [
      ...reportProblems(result, ops),
      ...servedProblems(served, ops),
      ...(await authProbeProblems(ops.filter((op) => op.secured && !op.probedBySchemathesis))),
    ];
    if (problems.length) {
      throw new Error(
        `The OpenAPI fuzz run failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n\n` +
          `${result.command}\n\n${result.output.replaceAll(secret, '$TOKEN')}`,
      );
    }
  }

  /**
   * schemathesis' ignored_auth probes only operations with one requirement of an http or apiKey
   * scheme: not those API clients may use (oauth2, alone or as a choice beside bearer). They are
   * probed here the same way: without a token, and with a broken one, each must be 401 (checked
   * before anything about the request, so an empty one will do).
   */
  async function authProbeProblems(ops: Operation[]): Promise<string[]> {
    const problems: string[] = [];
    for (const op of ops) {
      const [method, path] = op.label.split(' ');
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      for (const token of [undefined, 'Bearer not.a.token']) {
        const req = stack!.http()[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url);
        const res = await (token ? req.set('Authorization', token) : req);
        if (res.status !== 401) {
          problems.push(
            `${op.label} ${token ? 'with a broken token' : 'without a token'}: ${res.status}, not 401`,
          );
        }
      }
    }
    return problems;
  }
});

type Requirement = Record<string, string[]>;
interface OpenApiDocument {
  security?: Requirement[];
  components: {
    schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    securitySchemes: Record<string, { type: string }>;
  };
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  security?: Requirement[];
  parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** Every operation in the document, with its Fastify route template and who may call it. */
function documentedOperations(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => {
        const security = op.security ?? doc.security ?? [];
        const schemes = (r: Requirement) =>
          Object.keys(r).map((name) => doc.components.securitySchemes[name].type);
        return {
          label: `${method.toUpperCase()} ${path}`,
          route: `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
          secured: security.length > 0 && security.every((r) => Object.keys(r).length > 0),
          clientOnly: security.length > 0 && security.every((r) => schemes(r).join() === 'oauth2'),
          probedBySchemathesis:
            security.length === 1 && schemes(security[0]).every((type) => ['http', 'apiKey'].includes(type)),
        };
      }),
  );
}

/** A regular expression matching exactly these operations' labels. */
function exactly(ops: Operation[]): string {
  return `^(?:${ops.map((op) => op.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}

/**
 * A copy of the document where every `userId` a request names (in its path or its JSON body) is
 * one of `members`: the fuzzer's valid requests then reach the service's work, while its invalid
 * ones (another value) must still be refused.
 */
function withMembers(doc: OpenApiDocument, members: string[]): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      for (const param of op.parameters ?? []) {
        if (param.name === 'userId') param.schema.enum = members;
      }
      const ref = op.requestBody?.content['application/json']?.schema.$ref;
      const userId = ref ? copy.components.schemas[ref.split('/').pop()!].properties?.userId : undefined;
      if (userId) userId.enum = members;
    }
  }
  return copy;
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
    // (Those it cannot probe are probed by authProbeProblems.)
    if (op.secured && op.probedBySchemathesis && !answered(op.route, (s) => s === 401)) {
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
