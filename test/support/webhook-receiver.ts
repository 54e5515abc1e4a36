import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Standard Webhooks verification written from the specification (standardwebhooks.com, "Verifying
 * webhooks"), independently of the library the dispatcher signs with: the key is the base64 after
 * `whsec_`; the signed content is `${webhook-id}.${webhook-timestamp}.${body}`; the header is a
 * space-separated list of `v1,<base64 HMAC-SHA256>`, any of which may match.
 */
export function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((versioned) => {
    const [version, signature] = versioned.split(',', 2);
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request arrived. */
  at: number;
}

/** How the receiver answers a request: a status, optionally after a delay (or never). */
export type Answer = { status: number; delayMs?: number } | 'hang';

/** A local receiver of webhooks: records every request, answers as `answer` says (200 by default). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (request: ReceivedWebhook, index: number) => Answer = () => ({ status: 200 });
  private readonly hanging = new Set<() => void>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = {
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        const index = receiver.received.push(request) - 1;
        const answer = receiver.answer(request, index);
        if (answer === 'hang') {
          const end = () => res.destroy();
          receiver.hanging.add(end);
          res.on('close', () => receiver.hanging.delete(end));
          return;
        }
        const reply = () => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end('ok');
        if (answer.delayMs) setTimeout(reply, answer.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Requests per `webhook-id`, as a receiver that dedupes would count them. */
  distinctIds(): Set<string> {
    return new Set(this.received.map((r) => String(r.headers['webhook-id'])));
  }

  async close(): Promise<void> {
    this.hanging.forEach((end) => end());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Dispatcher settings that let it deliver to receivers on this machine (plain http, loopback). */
export const LOCAL_RECEIVERS_ENV = {
  WEBHOOKS_ALLOW_HTTP: 'true',
  WEBHOOKS_ALLOWED_PRIVATE_CIDRS: '127.0.0.0/8',
};

/** The receivers a test file starts, all closed at the end. */
export function receiverPool() {
  const started: WebhookReceiver[] = [];
  return {
    async start(): Promise<WebhookReceiver> {
      const receiver = await WebhookReceiver.start();
      started.push(receiver);
      return receiver;
    },
    async closeAll(): Promise<void> {
      for (const receiver of started.splice(0)) await receiver.close();
    },
  };
}
