import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { TestIsolation } from '@lib/testing';
import { IdentityStack, startIdentityStack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const bin = (path: string) => join(ROOT, 'node_modules', path);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Node.js tool of this repository (never the network: telemetry and update checks off). */
function runNode(args: string[], cwd = ROOT): Promise<Run> {
  const env = {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NO_COLOR: '1',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location?: Array<{ pointer?: string }>;
}

/**
 * A typed client over the generated `paths` (openapi-typescript's output): a request body and a
 * response that don't match the document are compile errors. `@ts-expect-error` proves the types
 * are real, not `any`.
 */
const CLIENT = `import type { paths } from './api';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Body<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : undefined;
type Answer<O, S extends number> = O extends { responses: { [K in S]: { content: { 'application/json': infer R } } } }
  ? R
  : never;
export type Transport = (method: string, path: string, body: unknown) => Promise<unknown>;

function client(transport: Transport) {
  return async <P extends keyof paths, M extends Method, S extends number>(
    method: M,
    path: P,
    status: S,
    body: Body<Operation<P, M>>,
  ): Promise<Answer<Operation<P, M>, S>> =>
    (await transport(method.toUpperCase(), path, body)) as Answer<Operation<P, M>, S>;
}

export async function session(transport: Transport): Promise<string> {
  const call = client(transport);
  const tokens = await call('post', '/v1/auth/login', 200, { username: 'ann', password: 'correct horse' });
  const bearer: string = tokens.accessToken;
  const ttl: number = tokens.expiresIn;
  const points = await call('get', '/v1/points', 200, undefined);
  const balance: number = points.balance;
  const spent = await call('post', '/v1/redemptions', 201, { redemptionId: 'order-1', points: 10 });
  const payers: string[] = spent.spent.map((part) => part.payer);
  const page = await call('get', '/v1/admin/users', 200, undefined);
  const next: string | null = page.nextCursor;
  const names: string[] = page.items.map((user) => user.username);
  const stats = await call('get', '/v1/admin/stats', 200, undefined);
  const members: number | null = stats.members;
  const grant = await call('post', '/v1/oauth/token', 200, undefined);
  const clientBearer: string = grant.access_token;
  const purchase = await call('post', '/v1/purchases', 201, {
    purchaseId: 'order-2',
    userId: 'u-1',
    amount: '9.90',
    payer: 'STORE', // openapi-typescript makes a field with a default required
  });
  const earned: number = purchase.pointsEarned;
  const memberPoints = await call('get', '/v1/members/{userId}/points', 200, undefined);
  const memberBalance: number = memberPoints.balance;
  const created = await call('post', '/v1/admin/api-clients', 201, { name: 'till', scopes: ['purchases:write'] });
  const secret: string = created.clientSecret;
  const refunded = await call('post', '/v1/purchases/{purchaseId}/refunds', 201, { refundId: 'return-1', amount: '4.00' });
  const unrecovered: number = refunded.unrecovered;
  const policy = await call('put', '/v1/admin/points-policy', 200, { pendingDays: 14, expiryDays: null, expiryWarningDays: 30 });
  const expiryDays: number | null = policy.expiryDays;
  // @ts-expect-error: an earn multiplier is a decimal string
  await call('put', '/v1/admin/tiers', 200, { qualifyingDays: 365, tiers: [{ name: 'Standard', minPoints: 0, earnMultiplier: 1 }] });
  // @ts-expect-error: a purchase names the member
  await call('post', '/v1/purchases', 201, { purchaseId: 'order-3', amount: '9.90', payer: 'STORE' });
  // @ts-expect-error: no such scope
  await call('post', '/v1/admin/api-clients', 201, { name: 'till', scopes: ['everything'] });
  // @ts-expect-error: login takes no such field
  await call('post', '/v1/auth/login', 200, { username: 'ann', password: 'correct horse', admin: true });
  // @ts-expect-error: a balance is a number
  const wrong: string = points.balance;
  // @ts-expect-error: no such route
  await call('get', '/v1/no-such-route', 200, undefined);
  return [bearer, ttl, balance, payers, next, names, members, clientBearer, earned, memberBalance, secret, wrong, unrecovered, expiryDays].join(' ');
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'ES2022',
    moduleResolution: 'bundler',
    types: [],
    noUnusedLocals: true,
  },
  files: ['client.ts'],
};

describe("the gateway's OpenAPI document: redocly lint, a generated client, the console's types", () => {
  const iso = new TestIsolation('openapi-lint');
  let stack: IdentityStack | undefined;
  let dir: string;
  let documentFile: string;
  let document: Record<string, unknown>;

  beforeAll(async () => {
    // With auth: the gateway is ready (and serves) once it has read auth's token revocations.
    stack = await startIdentityStack(iso);
    document = (await stack.http().get('/docs-json').expect(200)).body;
    dir = await mkdtemp(join(os.tmpdir(), 'loyalty-openapi-'));
    documentFile = join(dir, 'openapi.json');
    await writeFile(documentFile, JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    await stack?.close();
    await iso.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes redocly lint with the recommended rules (redocly.yaml) and no error', async () => {
    const lint = await runNode([
      bin('@redocly/cli/bin/cli.js'),
      'lint',
      documentFile,
      '--config',
      join(ROOT, 'redocly.yaml'),
      '--format=json',
    ]);
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: LintProblem[];
    };
    const describe = (p: LintProblem) => `${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`;
    expect(report.problems.filter((p) => p.severity === 'error').map(describe)).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(lint.code).toBe(0);
    console.info(
      `redocly lint: 0 errors, ${report.totals.warnings} warnings` +
        report.problems.map((p) => `\n  ${describe(p)}`).join(''),
    );
  });

  it('gives a client generated with openapi-typescript that compiles, with real types', async () => {
    const generated = await runNode(
      [bin('openapi-typescript/bin/cli.js'), documentFile, '-o', 'api.d.ts'],
      dir,
    );
    expect(generated).toMatchObject({ code: 0 });
    await writeFile(join(dir, 'client.ts'), CLIENT);
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = await runNode([bin('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], dir);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 60_000);

  it("is what the admin console's committed API types were generated from", async () => {
    const check = await runNode([
      join(ROOT, 'scripts/console-api-types.mjs'),
      '--check',
      '--from',
      documentFile,
    ]);
    if (check.code !== 0) throw new Error(check.stderr || check.stdout); // "… run npm run console:api-types"
  }, 60_000);

  it('is built, without any infrastructure, by the script that generates those types', async () => {
    const offlineFile = join(dir, 'offline.json');
    const built = await runNode([join(ROOT, 'scripts/console-api-types.mjs'), '--document', offlineFile]);
    expect(built).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(offlineFile, 'utf8'))).toEqual(document);
  }, 60_000);
});
