import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { lookup as systemLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { urlToHttpOptions } from 'node:url';
import { WebhookDispatcherSettings } from '../../webhook-dispatcher.settings';
import { SendOutcome, WebhookRequest, WebhookSender } from '../ports/webhook-sender';
import { TargetPolicy } from './target-policy';

/** Resolves a host to all its addresses, as `dns.lookup(host, { all: true }, callback)` does. */
export type HostLookup = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const USER_AGENT = 'loyalty-platform-webhooks/1';
/** Nobody reads a receiver's answer: past this much, the connection is dropped rather than drained. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** A target the policy refuses; its message is the outcome's error as it stands. */
class ForbiddenTarget extends Error {}

/**
 * Delivers over node:http and node:https, through one keep-alive agent per scheme, so a busy
 * endpoint reuses its connections. Every new connection is checked twice: the agent's lookup
 * drops forbidden addresses before connecting, and the connected peer address is checked again
 * (IP-literal hosts skip the lookup). Both run at delivery time, so a name re-pointed at an
 * internal address after the URL was accepted (DNS rebinding) gets nowhere.
 */
@Injectable()
export class HttpWebhookSender extends WebhookSender implements OnModuleDestroy {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly settings: WebhookDispatcherSettings,
    @Optional() lookup?: HostLookup,
  ) {
    super();
    const options = {
      keepAlive: true,
      noDelay: true,
      lookup: allowedAddressesOnly(lookup ?? systemLookup, policy),
    };
    this.httpAgent = refuseForbiddenPeers(new http.Agent(options), policy);
    this.httpsAgent = refuseForbiddenPeers(new https.Agent(options), policy);
  }

  send(request: WebhookRequest): Promise<SendOutcome> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.resolve(failure(null, 'the URL is not valid'));
    }
    let transport: typeof http | typeof https;
    let agent: http.Agent;
    if (url.protocol === 'https:') {
      transport = https;
      agent = this.httpsAgent;
    } else if (url.protocol === 'http:') {
      if (!this.settings.allowHttp)
        return Promise.resolve(failure(null, 'http URLs are not allowed; use https'));
      transport = http;
      agent = this.httpAgent;
    } else {
      return Promise.resolve(failure(null, `unsupported scheme ${url.protocol}`));
    }
    // An IP-literal host skips the lookup: refuse it here, before any connection is attempted.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (isIP(host)) {
      const why = this.policy.forbiddenBecause(host);
      if (why) return Promise.resolve(failure(null, `${host} is forbidden (${why})`));
    }
    const options: http.RequestOptions = {
      ...urlToHttpOptions(url),
      method: 'POST',
      agent,
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(request.body),
        'user-agent': USER_AGENT,
      },
    };
    return this.exchange(transport, options, request.body, url.host);
  }

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** One POST under one deadline that covers connecting, sending, the status line and the body. */
  private exchange(
    transport: typeof http | typeof https,
    options: http.RequestOptions,
    body: string,
    origin: string,
  ): Promise<SendOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      let current: http.ClientRequest | undefined;
      let statusCode: number | null = null;
      const finish = (outcome: SendOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(outcome);
      };
      const timeoutMs = this.settings.timeoutMs;
      const deadline = setTimeout(() => {
        finish(failure(statusCode, `timed out after ${timeoutMs} ms`));
        current?.destroy();
      }, timeoutMs);

      const attempt = (mayRetry: boolean): void => {
        try {
          const req = transport.request(options);
          current = req;
          req.on('response', (res) => {
            statusCode = res.statusCode ?? null;
            const outcome = outcomeOf(res.statusCode ?? 0);
            let received = 0;
            res.on('data', (chunk: Buffer) => {
              received += chunk.length;
              if (received > MAX_RESPONSE_BYTES) res.destroy();
            });
            res.on('end', () => finish(outcome));
            // Cut off (by us past the cap, or by the receiver): the status line already decided it.
            res.on('close', () => finish(outcome));
            res.on('error', () => undefined);
          });
          req.on('error', (err: NodeJS.ErrnoException) => {
            // A pooled connection the receiver closed while it sat idle fails at once; that is no
            // answer from the receiver, so it gets one more try on a fresh connection.
            if (
              mayRetry &&
              !settled &&
              req.reusedSocket &&
              statusCode === null &&
              err.code === 'ECONNRESET'
            ) {
              attempt(false);
              return;
            }
            finish(failure(statusCode, describeError(err, origin)));
          });
          req.end(body);
        } catch (err) {
          finish(failure(null, describeError(err as NodeJS.ErrnoException, origin)));
        }
      };
      attempt(true);
    });
  }
}

function outcomeOf(statusCode: number): SendOutcome {
  if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
  if (statusCode >= 300 && statusCode < 400)
    return failure(statusCode, `redirect not followed (${statusCode})`);
  return failure(statusCode, `receiver answered ${statusCode}`);
}

function failure(statusCode: number | null, error: string): SendOutcome {
  return { ok: false, statusCode, error };
}

/** The agent's lookup: connect only to addresses the policy allows, and fail if there are none. */
function allowedAddressesOnly(lookup: HostLookup, policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const allowed = addresses.filter((a) => policy.isAllowedAddress(a.address));
      if (allowed.length > 0) {
        // net asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one.
        if (options.all) return callback(null, allowed);
        return callback(null, allowed[0].address, allowed[0].family);
      }
      const first = addresses[0];
      const why = first
        ? `${hostname} resolves to ${first.address}, which is forbidden (${policy.forbiddenBecause(first.address)})`
        : `${hostname} resolves to no address`;
      callback(new ForbiddenTarget(why), '');
    });
  };
}

/** Checks the peer of every new connection the agent makes, before a byte of the request is sent. */
function refuseForbiddenPeers<A extends http.Agent>(agent: A, policy: TargetPolicy): A {
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = createConnection(options, callback) as Socket | null | undefined;
    // Our listener is the first on 'connect', so it runs before the writes queued while connecting.
    socket?.once('connect', () => {
      const address = socket.remoteAddress ?? '';
      if (!policy.isAllowedAddress(address)) {
        socket.destroy(new ForbiddenTarget(`connected address ${address} is forbidden`));
      }
    });
    return socket;
  };
  return agent;
}

function describeError(err: NodeJS.ErrnoException, origin: string): string {
  if (err instanceof ForbiddenTarget) return err.message;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${origin}`;
    case 'ECONNRESET':
      return `connection reset by ${origin}`;
    case 'ENOTFOUND':
      return `host ${origin} not found`;
    case 'EAI_AGAIN':
      return `DNS lookup of ${origin} failed; it may work later`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${origin} is unreachable`;
    default:
      // node's AggregateError (every address of a host failed) has a code but an empty message.
      return err.message || err.code || 'the request failed';
  }
}
