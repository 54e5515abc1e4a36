import { Inject, Injectable } from '@nestjs/common';
import { EVENTS, EventPayloads, PointsAdjustedV1, UserEnrolledV1 } from '@lib/contracts';
import type { EventMeta } from '@lib/messaging';
import { LOGGER, Logger } from '@lib/observability';
import { GroupsRepository } from '../../groups/ports/groups.repository';
import { canLogIn } from '../../users/domain/user';
import { UsersRepository } from '../../users/ports/users.repository';
import { decideDelivery } from '../domain/delivery';
import { pointsAdjustedMail, Recipient, welcomeMail } from '../domain/mail-templates';
import { MailDeliveriesRepository } from '../ports/mail-deliveries.repository';
import { MailRefused, Mailer } from '../ports/mailer';

export type NotifiedEvent = typeof EVENTS.userEnrolled | typeof EVENTS.pointsAdjusted;

/**
 * A welcome mail on `auth.user.enrolled`, a notice to every active member of the group on
 * `loyalty.points.adjusted`. Each (event, recipient) mail is recorded outside the event's
 * transaction (see decideDelivery), so a redelivered event mails nobody twice and a retried one
 * only those not yet mailed. A failed send throws, for the consumer to retry.
 */
@Injectable()
export class SendNotificationsHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
    private readonly deliveries: MailDeliveriesRepository,
    private readonly mailer: Mailer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(payload: EventPayloads[NotifiedEvent], meta: EventMeta): Promise<void> {
    if (meta.name === EVENTS.pointsAdjusted) {
      const event = payload as PointsAdjustedV1;
      for (const r of await this.groupMembers(event.groupId))
        await this.deliver(meta.eventId, r, pointsAdjustedMail(r, event));
    } else {
      const user = await this.users.findById((payload as UserEnrolledV1).userId);
      if (!user) return this.logger.warn({ eventId: meta.eventId }, 'welcome mail: the user is gone');
      await this.deliver(meta.eventId, user, welcomeMail(user));
    }
  }

  private async groupMembers(groupId: string): Promise<Recipient[]> {
    const group = await this.groups.findById(groupId);
    if (!group) return [];
    const users = await this.users.findByIds(group.members.map((m) => m.userId));
    return users.filter(canLogIn); // disabled accounts get no mail
  }

  private async deliver(
    eventId: string,
    to: Recipient,
    mail: { subject: string; text: string },
  ): Promise<void> {
    const recipient = to.email;
    const decision = decideDelivery(await this.deliveries.state(eventId, recipient));
    if (decision === 'skip') return;
    if (decision === 'resend-after-interruption')
      this.logger.warn({ eventId }, 'mail: an earlier attempt was interrupted mid-send; sending again');
    await this.deliveries.claim(eventId, recipient, new Date());
    try {
      const { messageId } = await this.mailer.send({ to: recipient, ...mail });
      await this.deliveries.finish(eventId, recipient, { state: 'sent', messageId }, new Date());
    } catch (err) {
      const refused = err instanceof MailRefused;
      await this.deliveries.finish(
        eventId,
        recipient,
        { state: refused ? 'refused' : 'failed', error: (err as Error).message },
        new Date(),
      );
      if (!refused) throw err; // retried with backoff, then dead-lettered
      this.logger.error({ eventId, reason: err.message }, 'mail refused for good; not retried');
    }
  }
}
