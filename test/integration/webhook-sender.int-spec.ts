import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HostLookup,
  HttpWebhookSender,
} from '../../apps/webhook-dispatcher/src/webhooks/adapters/http-webhook-sender';
import { TargetPolicy } from '../../apps/webhook-dispatcher/src/webhooks/adapters/target-policy';
import { WebhookDispatcherSettings } from '../../apps/webhook-dispatcher/src/webhook-dispatcher.settings';

/**
 * The webhook sender against real receivers: node:http servers on loopback addresses. Nothing
 * here uses MongoDB, Redis or RabbitMQ, so no TestIsolation is needed.
 */

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  connections: number;
  server: http.Server;
}

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, received: Received) => void;

const receivers: http.Server[] = [];
const senders: HttpWebhookSender[] = [];

afterEach(async () => {
  for (const sender of senders.splice(0)) sender.onModuleDestroy();
  await Promise.all(
    receivers.splice(0).map(
      (server) =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    ),
  );
});

/** A receiver that records each request once its body has arrived, then answers with `answer`. */
async function receiver(answer: Answer, host = '127.0.0.1', port = 0): Promise<Receiver> {
  const state = { requests: [] as Received[], connections: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.requests.push(received);
      answer(req, res, received);
    });
  });
  server.on('connection', () => state.connections++);
  receivers.push(server);
  await new Promise<void>((done) => server.listen(port, host, () => done()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    server,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
  };
}

const answerWith =
  (status: number, body = ''): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  };

function sender(
  options: {
    allowHttp?: boolean;
    allowedPrivateCidrs?: string[];
    timeoutMs?: number;
    lookup?: HostLookup;
  } = {},
): HttpWebhookSender {
  const settings = new WebhookDispatcherSettings(
    options.allowHttp ?? true,
    options.allowedPrivateCidrs ?? ['127.0.0.0/8'],
    [5_000],
    options.timeoutMs ?? 10_000,
    16,
    5 * 86_400_000,
    1_000,
    2_000,
  );
  const created = new HttpWebhookSender(new TargetPolicy(settings), settings, options.lookup);
  senders.push(created);
  return created;
}

/** A resolver with fixed answers, standing in for DNS so a name can point anywhere. */
function lookupOf(answers: Record<string, string[]>): HostLookup {
  return (hostname, _options, callback) => {
    const addresses = answers[hostname] ?? [];
    process.nextTick(() =>
      callback(
        null,
        addresses.map((address) => ({ address, family: 4 })),
      ),
    );
  };
}

const request = (url: string, body = '{"type":"purchase.recorded"}') => ({ url, headers: {}, body });

describe('HttpWebhookSender: the target policy at delivery time', () => {
  it('refuses a loopback receiver when no private range is allowed; nothing reaches it', async () => {
    const target = await receiver(answerWith(200));
    const outcome = await sender({ allowedPrivateCidrs: [] }).send(request(`${target.url}/hook`));
    expect(outcome).toEqual({
      ok: false,
      statusCode: null,
      error: '127.0.0.1 is forbidden (a loopback address)',
    });
    expect(target.connections).toBe(0);
  });

  it('refuses a name that resolves to a forbidden address; nothing reaches the server', async () => {
    const target = await receiver(answerWith(200));
    const rebound = sender({ allowedPrivateCidrs: [], lookup: lookupOf({ 'hooks.test': ['127.0.0.1'] }) });
    const outcome = await rebound.send(request(`http://hooks.test:${target.port}/hook`));
    expect(outcome).toEqual({
      ok: false,
      statusCode: null,
      error: 'hooks.test resolves to 127.0.0.1, which is forbidden (a loopback address)',
    });
    expect(target.connections).toBe(0);
  });

  it('connects only to the allowed addresses among those a name resolves to', async () => {
    const forbidden = await receiver(answerWith(200), '127.0.0.1');
    const allowed = await receiver(answerWith(202), '127.0.0.2', forbidden.port);
    const mixed = sender({
      allowedPrivateCidrs: ['127.0.0.2/32'],
      lookup: lookupOf({ 'hooks.test': ['127.0.0.1', '127.0.0.2'] }),
    });
    const outcome = await mixed.send(request(`http://hooks.test:${forbidden.port}/hook`));
    expect(outcome).toEqual({ ok: true, statusCode: 202 });
    expect(forbidden.connections).toBe(0);
    expect(allowed.requests).toHaveLength(1);
  });

  it('closes a connection that lands on a forbidden address before sending anything', async () => {
    // An operator allowed 0.0.0.0, but connecting there reaches loopback: the peer check catches it.
    const target = await receiver(answerWith(200));
    const outcome = await sender({ allowedPrivateCidrs: ['0.0.0.0/32'] }).send(
      request(`http://0.0.0.0:${target.port}/hook`),
    );
    expect(outcome).toEqual({
      ok: false,
      statusCode: null,
      error: 'connected address 127.0.0.1 is forbidden',
    });
    expect(target.requests).toHaveLength(0);
  });

  it('refuses http URLs without connecting unless http is allowed', async () => {
    const target = await receiver(answerWith(200));
    const outcome = await sender({ allowHttp: false }).send(request(`${target.url}/hook`));
    expect(outcome).toEqual({ ok: false, statusCode: null, error: 'http URLs are not allowed; use https' });
    expect(target.connections).toBe(0);
  });
});

describe('HttpWebhookSender: delivering to an allowed receiver', () => {
  it('delivers with 127.0.0.0/8 and http allowed: a 2xx is success with its status', async () => {
    const target = await receiver(answerWith(204));
    await expect(sender().send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: true,
      statusCode: 204,
    });
    expect(target.requests).toHaveLength(1);
  });

  it('sends the given headers and body exactly, as a JSON POST to the URL’s path and query', async () => {
    const target = await receiver(answerWith(200));
    const body = JSON.stringify({ type: 'points.redeemed', data: { note: 'café ✓', points: 120 } });
    const headers = {
      'webhook-id': 'msg_2b1f3c',
      'webhook-timestamp': '1767225600',
      'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
    };
    const outcome = await sender().send({ url: `${target.url}/hooks/in?tenant=7`, headers, body });
    expect(outcome).toEqual({ ok: true, statusCode: 200 });
    const [received] = target.requests;
    expect(received.method).toBe('POST');
    expect(received.url).toBe('/hooks/in?tenant=7');
    expect(received.body).toBe(body);
    expect(received.headers).toMatchObject({
      ...headers,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'loyalty-platform-webhooks/1',
    });
  });

  it('reuses one connection for consecutive deliveries to the same receiver', async () => {
    const target = await receiver(answerWith(200));
    const keepAlive = sender();
    for (let i = 0; i < 5; i++) {
      await expect(keepAlive.send(request(`${target.url}/hook`))).resolves.toEqual({
        ok: true,
        statusCode: 200,
      });
    }
    expect(target.requests).toHaveLength(5);
    expect(target.connections).toBe(1);
  });

  it('is a success with a 2xx whose long answer it does not read to the end', async () => {
    const target = await receiver(answerWith(200, 'x'.repeat(1024 * 1024)));
    await expect(sender().send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: true,
      statusCode: 200,
    });
  });

  it('tries once more on a fresh connection when a kept-alive one was dropped by the receiver', async () => {
    const target = await receiver((req, res) => {
      // The second request on the first connection finds it reset, as after a receiver's idle timeout.
      if (target.requests.length === 2) req.socket.resetAndDestroy();
      else answerWith(200)(req, res, target.requests[target.requests.length - 1]);
    });
    const keepAlive = sender();
    await expect(keepAlive.send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: true,
      statusCode: 200,
    });
    await expect(keepAlive.send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: true,
      statusCode: 200,
    });
    expect(target.requests).toHaveLength(3);
    expect(target.connections).toBe(2);
  });
});

describe('HttpWebhookSender: failures are outcomes', () => {
  it('reports a 500 as a failure with its status', async () => {
    const target = await receiver(answerWith(500, 'boom'));
    await expect(sender().send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: false,
      statusCode: 500,
      error: 'receiver answered 500',
    });
  });

  it('does not follow a redirect: a 302 is a failure and its target gets no request', async () => {
    const elsewhere = await receiver(answerWith(200));
    const target = await receiver((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/stolen` });
      res.end();
    });
    await expect(sender().send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: false,
      statusCode: 302,
      error: 'redirect not followed (302)',
    });
    expect(elsewhere.connections).toBe(0);
  });

  it('fails at the deadline when the receiver never answers', async () => {
    const target = await receiver(() => undefined);
    await expect(sender({ timeoutMs: 300 }).send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: false,
      statusCode: null,
      error: 'timed out after 300 ms',
    });
    expect(target.requests).toHaveLength(1);
  });

  it('fails at the deadline when a 2xx answer never finishes', async () => {
    const target = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('still going');
    });
    await expect(sender({ timeoutMs: 300 }).send(request(`${target.url}/hook`))).resolves.toEqual({
      ok: false,
      statusCode: 200,
      error: 'timed out after 300 ms',
    });
  });

  it('reports a refused connection clearly', async () => {
    const closed = await receiver(answerWith(200));
    await new Promise<void>((done) => closed.server.close(() => done()));
    await expect(sender().send(request(`${closed.url}/hook`))).resolves.toEqual({
      ok: false,
      statusCode: null,
      error: `connection refused by 127.0.0.1:${closed.port}`,
    });
  });

  it('turns a header the HTTP layer refuses into a failure instead of throwing', async () => {
    const target = await receiver(answerWith(200));
    const outcome = await sender().send({
      url: `${target.url}/hook`,
      headers: { 'webhook-id': 'msg_1\r\ninjected: yes' },
      body: '{}',
    });
    expect(outcome).toMatchObject({ ok: false, statusCode: null });
    expect(target.connections).toBe(0);
  });

  it('refuses a URL that does not parse or has another scheme', async () => {
    await expect(sender().send(request('not a url'))).resolves.toEqual({
      ok: false,
      statusCode: null,
      error: 'the URL is not valid',
    });
    await expect(sender().send(request('ftp://127.0.0.1/hook'))).resolves.toEqual({
      ok: false,
      statusCode: null,
      error: 'unsupported scheme ftp:',
    });
  });
});
