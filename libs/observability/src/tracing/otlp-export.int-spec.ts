import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * What OTEL_EXPORTER_OTLP_ENDPOINT switches on, end to end: a real Node process (the OTLP
 * exporter loads `http` with a dynamic import, which Jest's module system can't run) exporting to
 * a stand-in collector.
 */
describe('tracing exports over OTLP/HTTP (a real process, a stand-in collector)', () => {
  const received: Array<{ path?: string; method?: string; body: Buffer }> = [];
  let collector: Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url, method: req.method, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => collector.close(resolve)));

  it('sends the spans to <endpoint>/v1/traces, under the app name, once per process', async () => {
    const script = `
      const { SpanKind, startSpan, startTracing } = require('@lib/observability');
      const handle = startTracing('loyalty');
      const second = startTracing('gateway'); // another app in the same process adds no provider
      startSpan('exported-span', SpanKind.INTERNAL).end();
      handle.flush().then(() => handle.shutdown()).then(() => console.log(JSON.stringify({ second: second ?? null })));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: ROOT, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: '' } },
    );
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ second: null });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', path: '/v1/traces' });
    const body = received[0].body.toString('latin1'); // protobuf: the strings appear as they are
    expect(body).toContain('exported-span');
    expect(body).toContain('loyalty'); // the resource's service.name
    expect(body).not.toContain('gateway');
  });
});
