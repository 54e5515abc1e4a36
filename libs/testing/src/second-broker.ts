import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BrokerProxy } from './broker-proxy';

const run = promisify(execFile);

/**
 * A RabbitMQ node of the test's own, on free ports, from the machine's `rabbitmq-server`: a
 * failure drill can really stop and restart the broker (stop_app/start_app) without touching the
 * broker every other test file uses. Starting one takes about 5 s.
 */
export class SecondBroker {
  private constructor(
    readonly url: string,
    private readonly node: string,
    private readonly dir: string,
    private readonly port: number,
  ) {}

  /** True when this machine can run one (rabbitmq-server and rabbitmqctl on PATH). */
  static async available(): Promise<boolean> {
    try {
      await run('sh', ['-c', 'command -v rabbitmq-server && command -v rabbitmqctl']);
      return true;
    } catch {
      return false;
    }
  }

  static async start(): Promise<SecondBroker> {
    const [port, distPort] = [await freePort(), await freePort()];
    const node = `t${randomBytes(4).toString('hex')}@localhost`;
    const dir = mkdtempSync(join(tmpdir(), 'loyalty-rabbit-'));
    chmodSync(dir, 0o777); // run as root, rabbitmq-server drops to the rabbitmq user
    writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`, { mode: 0o644 });
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n', { mode: 0o644 });
    const env = {
      ...process.env,
      RABBITMQ_NODENAME: node,
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'pid'),
    };
    await run('rabbitmq-server', ['-detached'], { env, timeout: 30000 });
    const broker = new SecondBroker(`amqp://guest:guest@127.0.0.1:${port}`, node, dir, port);
    await broker.waitForPort(true, 60000);
    return broker;
  }

  /** The outage: the broker application stops, connections drop, the port refuses. */
  async stopApp(): Promise<void> {
    await this.ctl('stop_app');
    await this.waitForPort(false, 15000);
  }

  async startApp(): Promise<void> {
    await this.ctl('start_app');
    await this.waitForPort(true, 30000);
  }

  /** Stops the node and deletes its data. */
  async shutdown(): Promise<void> {
    await this.ctl('stop').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ctl(command: string): Promise<void> {
    await run('rabbitmqctl', ['-n', this.node, command], { timeout: 30000 });
  }

  private async waitForPort(open: boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await portOpen(this.port)) !== open) {
      if (Date.now() > deadline) {
        throw new Error(`RabbitMQ node ${this.node} did not ${open ? 'open' : 'close'} port ${this.port}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port nothing listens on right now (for a server a test starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A broker a test may take down and bring back: a real second node, else a proxy to the shared one. */
export interface DisposableBroker {
  url: string;
  /** 'second-node' stops a real RabbitMQ; 'proxy' cuts the network to the shared one. */
  kind: 'second-node' | 'proxy';
  stop(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function disposableBroker(sharedUrl: string): Promise<DisposableBroker> {
  if (await SecondBroker.available()) {
    const node = await SecondBroker.start();
    return {
      url: node.url,
      kind: 'second-node',
      stop: () => node.stopApp(),
      restart: () => node.startApp(),
      dispose: () => node.shutdown(),
    };
  }
  // No local rabbitmq-server (e.g. RABBITMQ_URL points at a managed broker): cut the network instead.
  const proxy = BrokerProxy.forUrl(sharedUrl);
  await proxy.start();
  return {
    url: proxy.urlFor(sharedUrl),
    kind: 'proxy',
    stop: () => proxy.cut(),
    restart: () => proxy.restore(),
    dispose: () => proxy.stop(),
  };
}
