import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EVENTS, PrincipalRevokedV1, validateDto } from '@lib/contracts';
import { AmqpConnection, Topology, subscribeBroadcast } from '@lib/messaging';
import { HealthRegistry, LOGGER, Logger } from '@lib/observability';
import { TokenRevocations } from '../token-revocations';

/**
 * Keeps this process's TokenRevocations current: each `auth.principal.revoked` arrives on the
 * process's own broadcast queue within milliseconds of auth's commit (through its outbox), and
 * the full list is read at start (again every second until auth answers), on every
 * (re)subscription and every resync period.
 */
@Injectable()
export class RevocationFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly revocations: TokenRevocations,
    private readonly amqp: AmqpConnection,
    private readonly topology: Topology,
    @Inject(LOGGER) private readonly logger: Logger,
    health: HealthRegistry,
  ) {
    // Not ready before the first read: a load balancer sends no request that would be refused
    // (503) for want of it. Once read, it stays ready while auth is away (the list it has holds).
    health.register({ name: 'token-revocations', check: async () => this.revocations.isLoaded });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.revocations.start();
    await subscribeBroadcast(this.amqp, this.topology, this.logger, [EVENTS.principalRevoked], {
      onEvent: (_name, payload) => {
        const event = validateDto(PrincipalRevokedV1, payload, { tolerant: true });
        this.revocations.apply(event.principalId, Date.parse(event.validAfter));
      },
      onSubscribed: () => void this.revocations.sync().catch(() => undefined),
    });
  }

  onApplicationShutdown(): void {
    this.revocations.stop();
  }
}
