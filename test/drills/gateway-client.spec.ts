import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayClient } from '../../drills/gateway-client';
import { freePorts } from '../../drills/platform';

/** A stand-in gateway: /health/ready answers `ready`, everything else a problem+json 500. */
async function fakeGateway(ready: { status: number }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/health/ready') return res.writeHead(ready.status).end();
    res
      .writeHead(500, { 'content-type': 'application/problem+json' })
      .end(JSON.stringify({ status: 500, code: 'INTERNAL', errorId: 'e-1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('the drills gateway client', () => {
  it('reads the problem code and errorId, and reports a refused connection as status 0', async () => {
    const server = await fakeGateway({ status: 200 });
    const [unused] = await freePorts(1);
    const client = new GatewayClient([portOf(server), unused]);
    try {
      expect(await client.request(0, 'POST', '/v1/purchases', { json: {} })).toMatchObject({
        status: 500,
        code: 'INTERNAL',
        errorId: 'e-1',
      });
      expect(await client.request(1, 'GET', '/v1/me')).toMatchObject({ status: 0, error: 'ECONNREFUSED' });
    } finally {
      client.close();
      await close(server);
    }
  });

  it('takes a failed gateway out of rotation until its readiness probe passes', async () => {
    const readiness = { status: 503 };
    const [a, b] = [await fakeGateway({ status: 200 }), await fakeGateway(readiness)];
    const client = new GatewayClient([portOf(a), portOf(b)]);
    try {
      expect([0, 1, 2, 3].map((n) => client.pick(n))).toEqual([0, 1, 0, 1]);
      client.failed(1);
      expect([0, 1, 2, 3].map((n) => client.pick(n))).toEqual([0, 0, 0, 0]);
      readiness.status = 200;
      while (client.pick(1) !== 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect([0, 1].map((n) => client.pick(n))).toEqual([0, 1]);
    } finally {
      client.close();
      await Promise.all([close(a), close(b)]);
    }
  });
});
