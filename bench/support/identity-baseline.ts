/**
 * The identity benchmark's baselines: the same work as the platform's `GET /v1/me`, without
 * NestJS or any of our libs. Nothing here imports @lib/* or Nest, so these processes never load
 * them (nor turn on AsyncLocalStorage's promise hooks).
 *
 * - trivial: bare Fastify, `GET /ping` → {ok:true}, for scale.
 * - front (the gateway's part): bare Fastify; `GET /v1/me` verifies the bearer token with jose
 *   (RS256 pinned, iss, aud, exp and the same required claims) on EVERY request, no cache; then
 *   one amqplib request/reply (direct reply-to, correlation id) carrying the user id.
 * - responder (the auth service's part): raw amqplib consumer (prefetch 64, ack after the reply)
 *   that reads the user by `_id` from the same `users` collection with the raw MongoDB driver and
 *   replies the profile as JSON.
 */
import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import Fastify, { type FastifyInstance } from 'fastify';
import { jwtVerify } from 'jose';
import { MongoClient } from 'mongodb';
import type { BenchConfig, RunningServer } from './identity-config';

const REPLY_TO = 'amq.rabbitmq.reply-to';
const PREFETCH = 64;
/** AmqpConnection's socket options: without noDelay, Nagle meets delayed ACKs (~40ms stalls). */
const SOCKET_OPTIONS = { noDelay: true };

export const baselineQueue = (config: BenchConfig) => `${config.prefix}baseline.me`;

interface UserDoc {
  _id: string;
  username: string;
  email: string;
  phone?: string | null;
  fullName?: string | null;
  birthday?: string | null;
  groupId: string;
  roles: string[];
  createdAt: Date;
}

type Reply = { ok: true; data: unknown } | { ok: false; code: string };

async function listening(app: FastifyInstance, close: () => Promise<void>): Promise<RunningServer> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return { port: address.port, close };
}

export async function startTrivial(): Promise<RunningServer> {
  const app = Fastify({ logger: false });
  app.get('/ping', async () => ({ ok: true }));
  return listening(app, () => app.close());
}

export async function startResponder(config: BenchConfig): Promise<RunningServer> {
  // The platform's mongoose connection: primary reads, a pool of 50.
  const mongo = await new MongoClient(config.mongoUri, {
    maxPoolSize: 50,
    readPreference: 'primary',
  }).connect();
  const users = mongo.db(config.dbName).collection<UserDoc>('users');
  const connection = await connect(config.rabbitUrl, {
    ...SOCKET_OPTIONS,
    clientProperties: { connection_name: `${config.prefix}baseline.responder` },
  });
  const channel = await connection.createChannel();
  const queue = baselineQueue(config);
  await channel.assertQueue(queue, { durable: true });
  await channel.prefetch(PREFETCH);
  const answer = async (content: Buffer): Promise<Reply> => {
    try {
      const { userId } = JSON.parse(content.toString()) as { userId: string };
      const user = await users.findOne({ _id: userId });
      if (!user) return { ok: false, code: 'NOT_FOUND' };
      return {
        ok: true,
        data: {
          userId: user._id,
          username: user.username,
          email: user.email,
          phone: user.phone ?? null,
          fullName: user.fullName ?? null,
          birthday: user.birthday ?? null,
          groupId: user.groupId,
          roles: user.roles,
          createdAt: user.createdAt.toISOString(),
        },
      };
    } catch {
      return { ok: false, code: 'INTERNAL' };
    }
  };
  await channel.consume(
    queue,
    (msg) => {
      if (!msg) return;
      void answer(msg.content).then((reply) => {
        channel.sendToQueue(msg.properties.replyTo as string, Buffer.from(JSON.stringify(reply)), {
          correlationId: msg.properties.correlationId as string,
          contentType: 'application/json',
        });
        channel.ack(msg);
      });
    },
    { noAck: false },
  );
  return {
    port: 0,
    close: async () => {
      await connection.close().catch(() => undefined);
      await mongo.close();
    },
  };
}

class RawRpcClient {
  private readonly pending = new Map<string, (reply: Reply) => void>();
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly queue: string,
  ) {}

  static async open(config: BenchConfig): Promise<RawRpcClient> {
    const connection = await connect(config.rabbitUrl, {
      ...SOCKET_OPTIONS,
      clientProperties: { connection_name: `${config.prefix}baseline.front` },
    });
    const channel = await connection.createChannel();
    const client = new RawRpcClient(connection, channel, baselineQueue(config));
    await channel.consume(
      REPLY_TO,
      (msg) => {
        if (!msg) return;
        const id = msg.properties.correlationId as string;
        const settle = client.pending.get(id);
        if (!settle) return;
        client.pending.delete(id);
        settle(JSON.parse(msg.content.toString()) as Reply);
      },
      { noAck: true },
    );
    return client;
  }

  call(body: unknown): Promise<Reply> {
    return new Promise((resolve) => {
      const correlationId = randomUUID();
      this.pending.set(correlationId, resolve);
      this.channel.publish('', this.queue, Buffer.from(JSON.stringify(body)), {
        correlationId,
        replyTo: REPLY_TO,
        contentType: 'application/json',
      });
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

export async function startFront(config: BenchConfig): Promise<RunningServer> {
  const publicKey: KeyObject = createPublicKey(config.signingKeyPem);
  const rpc = await RawRpcClient.open(config);
  const app = Fastify({ logger: false });
  const problem = (status: number, code: string) => ({ status, code });
  app.get('/v1/me', async (req, reply) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    let userId: string | undefined;
    if (token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          algorithms: ['RS256'],
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          clockTolerance: 5,
        });
        userId = payload.sub;
      } catch {
        userId = undefined;
      }
    }
    if (!userId) return reply.code(401).send(problem(401, 'UNAUTHENTICATED'));
    const answer = await rpc.call({ userId });
    if (!answer.ok) {
      const status = answer.code === 'NOT_FOUND' ? 404 : 500;
      return reply.code(status).send(problem(status, answer.code));
    }
    return answer.data;
  });
  return listening(app, async () => {
    await app.close();
    await rpc.close();
  });
}
