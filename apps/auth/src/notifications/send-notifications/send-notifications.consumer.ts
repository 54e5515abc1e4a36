import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENTS } from '@lib/contracts';
import { EventConsumer } from '@lib/messaging';
import { AuthSettings } from '../../auth.settings';
import { NotifiedEvent, SendNotificationsHandler } from './send-notifications.handler';

export const NOTIFICATIONS_CONSUMER = 'auth.notifications';

/**
 * The platform's mail, in auth because auth owns users' contact data (emails, names, who is in
 * which group). A failed send is retried with backoff and the event dead-lettered after
 * MAIL_MAX_ATTEMPTS tries; a payload that breaks its event's rules is dead-lettered at once.
 */
@Injectable()
export class SendNotificationsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly sendNotifications: SendNotificationsHandler,
    private readonly settings: AuthSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.subscribe<NotifiedEvent>({
      consumer: NOTIFICATIONS_CONSUMER,
      events: [EVENTS.userEnrolled, EVENTS.pointsAdjusted],
      prefetch: 8,
      maxAttempts: this.settings.mail.maxAttempts,
      handle: (payload, meta) => this.sendNotifications.execute(payload, meta),
    });
  }
}
