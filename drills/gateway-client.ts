import http from 'node:http';

/** One HTTP answer, or a socket error / client timeout as status 0. */
export interface Reply {
  status: number;
  body?: any;
  /** problem+json `code`. */
  code?: string;
  /** problem+json `errorId` of a 500: the key to the app's log line. */
  errorId?: string;
  /** The socket error (ECONNREFUSED, ECONNRESET, timeout) when status is 0. */
  error?: string;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  /** Form-encoded body (the client-credentials grant). */
  form?: Record<string, string>;
  basic?: { user: string; password: string };
  timeoutMs?: number;
}

/** How often a gateway taken out of rotation is asked whether it is ready again. */
const PROBE_MS = 500;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The drills' client of the public API, spread over every gateway replica as a load balancer
 * would: round robin over the gateways in rotation, with keep-alive sockets. A gateway that drops
 * a connection or answers 503 leaves the rotation until its /health/ready answers 200 again (a
 * readiness probe), so a dead or restarting replica gets no new requests meanwhile.
 */
export class GatewayClient {
  private readonly agents: http.Agent[];
  private readonly out: boolean[];
  private closed = false;

  constructor(readonly ports: readonly number[]) {
    this.agents = ports.map(() => new http.Agent({ keepAlive: true, maxSockets: 256 }));
    this.out = ports.map(() => false);
  }

  get count(): number {
    return this.ports.length;
  }

  /** The gateway for the n-th request: round robin over those in rotation (all, if none is). */
  pick(n: number): number {
    const all = this.ports.map((_, i) => i);
    const inRotation = all.filter((i) => !this.out[i]);
    const from = inRotation.length ? inRotation : all;
    return from[n % from.length];
  }

  /** Takes the gateway out of rotation until its readiness probe passes. */
  failed(gateway: number): void {
    if (this.out[gateway] || this.closed) return;
    this.out[gateway] = true;
    void this.probeUntilReady(gateway);
  }

  private async probeUntilReady(gateway: number): Promise<void> {
    while (!this.closed) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
      const reply = await this.request(gateway, 'GET', '/health/ready', { timeoutMs: 2_000 });
      if (reply.status === 200) break;
    }
    this.out[gateway] = false;
  }

  request(gateway: number, method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    let payload: string | undefined;
    if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.form) {
      payload = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.basic) {
      const pair = `${options.basic.user}:${options.basic.password}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    return new Promise<Reply>((resolve) => {
      const req = http.request(
        {
          agent: this.agents[gateway],
          host: '127.0.0.1',
          port: this.ports[gateway],
          method,
          path,
          headers,
          timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => resolve({ status: 0, error: err.message }));
          res.on('end', () => resolve(parseReply(res.statusCode ?? 0, Buffer.concat(chunks).toString())));
        },
      );
      req.on('timeout', () => req.destroy(new Error('client timeout')));
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, error: err.code ?? err.message }));
      req.end(payload);
    });
  }

  /**
   * GET through transient failures (a 5xx, a dropped connection) for up to 30 s, over the
   * gateways in rotation: the checks read the outcome even while the platform is still recovering.
   */
  async get(path: string, token: string, what: string): Promise<any> {
    let n = 0;
    return retryTransient(() => this.request(this.pick(n++), 'GET', path, { token }), [200], what);
  }

  close(): void {
    this.closed = true;
    for (const agent of this.agents) agent.destroy();
  }
}

function parseReply(status: number, text: string): Reply {
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (a proxy's page, an empty 204): kept as text
  }
  const problem = typeof body === 'object' && body !== null ? body : {};
  return {
    status,
    body,
    code: typeof problem.code === 'string' ? problem.code : undefined,
    errorId: typeof problem.errorId === 'string' ? problem.errorId : undefined,
  };
}

/** The reply's body when its status is one of `ok`; else an error naming what failed. */
export function expectStatus(reply: Reply, ok: number[], what: string): any {
  if (ok.includes(reply.status)) return reply.body;
  const detail = reply.status ? `${reply.status} ${JSON.stringify(reply.body)}` : reply.error;
  throw new Error(`${what}: ${detail}`);
}

/** Calls again while the answer is transient (a 5xx or no answer), for up to `timeoutMs`. */
export async function retryTransient(
  call: () => Promise<Reply>,
  ok: number[],
  what: string,
  timeoutMs = 30_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await call();
    const transient = reply.status === 0 || reply.status >= 500;
    if (!transient || Date.now() > deadline) return expectStatus(reply, ok, what);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
