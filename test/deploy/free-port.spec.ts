/**
 * scripts/infra/support.mjs's freePort, which every provisioned server (the test infrastructure's
 * mongod and Redis, the drills' MongoDB replica set and RabbitMQ cluster) listens on: run in a
 * node process of its own, as the scripts run it.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const SUPPORT = join(__dirname, '..', '..', 'scripts', 'infra', 'support.mjs');

function fromScripts(expression: string): unknown {
  const script = `import(${JSON.stringify(SUPPORT)}).then(async (m) => process.stdout.write(JSON.stringify(await (${expression}))))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

describe('freePort (scripts/infra/support.mjs)', () => {
  it("picks ports below the kernel's ephemeral range, where no outgoing connection can take them first", () => {
    const from = fromScripts('m.ephemeralPortsFrom()') as number;
    const ports = fromScripts('Promise.all(Array.from({ length: 20 }, () => m.freePort()))') as number[];
    expect(ports).toHaveLength(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10000);
      expect(port).toBeLessThan(from);
    }
  });

  it('gives a port a server can listen on right away', async () => {
    const port = fromScripts('m.freePort()') as number;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
