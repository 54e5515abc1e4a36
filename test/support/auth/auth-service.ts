import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mongoose from 'mongoose';
import { RPC, type TokenPairDto } from '@lib/contracts';
import { AmqpConnection, RpcClient } from '@lib/messaging';
import { createApp } from '@lib/runtime';
import type { TestIsolation } from '@lib/testing';
import { AUDIT_CONSUMER } from '../../../apps/auth/src/audit/append-audit-entry/append-audit-entry.consumer';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import type { AuthSettings } from '../../../apps/auth/src/auth.settings';
import { NOTIFICATIONS_CONSUMER } from '../../../apps/auth/src/notifications/send-notifications/send-notifications.consumer';
import { ADMIN_ENV, PASSWORD, TEST_ADMIN, uniqueUsername } from '../identity-client';
import { testAuthSettings } from './test-auth-settings';

export interface AuthService {
  app: NestFastifyApplication;
  /** The auth app's own RPC client: requests go through the broker to its queue, as any app's do. */
  rpc: RpcClient;
  /** This file's auth database, for reading what was stored. */
  db: mongoose.Connection;
  settings: AuthSettings;
  close(): Promise<void>;
}

/**
 * The real auth service alone (no gateway), on this test file's own database, queues and Redis
 * keys, with the test admin bootstrapped. Tests talk to it over RabbitMQ, as the gateway and the
 * other services do.
 */
export async function startAuthService(
  iso: TestIsolation,
  env: NodeJS.ProcessEnv = {},
): Promise<AuthService> {
  // Its consumers' queues are this file's, so cleanup removes them and their dead-letter queues.
  iso.queue(AUDIT_CONSUMER);
  iso.queue(NOTIFICATIONS_CONSUMER);
  const settings = testAuthSettings({ ...ADMIN_ENV, ...env });
  const app = await createApp(AuthModule.register(iso.config('auth'), settings), { rpcService: 'auth' });
  await app.init();
  await app.startAllMicroservices();
  // Requests fail fast while the broker connection is still opening (a loaded machine takes longer).
  await app.get(AmqpConnection).waitUntilConnected(30_000);
  const db = await mongoose.createConnection(iso.infra.mongoUri, { dbName: iso.dbName }).asPromise();
  return {
    app,
    rpc: app.get(RpcClient),
    db,
    settings,
    async close() {
      await db.close();
      await app.close();
    },
  };
}

export interface PersonCaller {
  userId: string;
  groupId: string;
  username: string;
  accessToken: string;
  refreshToken: string;
  /** The RPC envelope's caller part, as the gateway forwards it. */
  caller: { accessToken: string };
}

/** Logs in over RPC. */
export async function logIn(rpc: RpcClient, username: string, password = PASSWORD): Promise<TokenPairDto> {
  return rpc.send<TokenPairDto>('auth', RPC.auth.login, { body: { username, password } });
}

/** Registers a member (a new group of their own) and logs them in, over RPC. */
export async function rpcMember(rpc: RpcClient): Promise<PersonCaller> {
  const username = uniqueUsername('m');
  const created = await rpc.send<{ userId: string; groupId: string }>('auth', RPC.auth.register, {
    body: { username, password: PASSWORD, email: `${username}@example.com` },
  });
  const tokens = await logIn(rpc, username);
  return { ...created, username, ...tokens, caller: { accessToken: tokens.accessToken } };
}

/** Logs the bootstrapped test admin in, over RPC. */
export async function rpcAdmin(rpc: RpcClient): Promise<PersonCaller> {
  const tokens = await logIn(rpc, TEST_ADMIN.username, TEST_ADMIN.password);
  const me = await rpc.send<{ userId: string; groupId: string }>('auth', RPC.auth.me, {
    caller: { accessToken: tokens.accessToken },
  });
  return {
    userId: me.userId,
    groupId: me.groupId,
    username: TEST_ADMIN.username,
    ...tokens,
    caller: { accessToken: tokens.accessToken },
  };
}
