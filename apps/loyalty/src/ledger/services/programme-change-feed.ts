import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { AmqpConnection, Topology, subscribeBroadcast } from '@lib/messaging';
import { LOGGER, type Logger } from '@lib/observability';
import { ProgrammeSettings } from './programme-settings';

/**
 * Every loyalty replica hears `loyalty.settings.changed` on its own broadcast queue and reads the
 * policy and tiers again, so a change applies to the next purchase on every replica, not only on
 * the one that saved it (the cache's few seconds are the fallback while disconnected).
 */
@Injectable()
export class ProgrammeChangeFeed implements OnApplicationBootstrap {
  constructor(
    private readonly programme: ProgrammeSettings,
    private readonly amqp: AmqpConnection,
    private readonly topology: Topology,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await subscribeBroadcast(this.amqp, this.topology, this.logger, [EVENTS.loyaltySettingsChanged], {
      onEvent: () => this.programme.invalidate(),
      onSubscribed: () => this.programme.invalidate(),
    });
  }
}
