import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { LOGGER, Logger } from '@lib/observability';
import { AuthSettings } from '../auth.settings';
import { NodemailerMailer } from './adapters/nodemailer-mailer';
import {
  MAIL_DELIVERY_MODEL,
  MongoMailDeliveriesRepository,
  mailDeliverySchema,
} from './mongo/mail-deliveries.mongo';
import { MailDeliveriesRepository } from './ports/mail-deliveries.repository';
import { Mailer } from './ports/mailer';
import { SendNotificationsConsumer } from './send-notifications/send-notifications.consumer';
import { SendNotificationsHandler } from './send-notifications/send-notifications.handler';

/**
 * The welcome and points mails, sent to the contact data users and groups hold (through the ports
 * UsersModule and GroupsModule export). No RPCs.
 */
@Module({})
export class NotificationsModule {
  /** `migrate`: the record of every mail sent, with its TTL index; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([{ name: MAIL_DELIVERY_MODEL, schema: mailDeliverySchema }]);
  }

  static register(settings: AuthSettings): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [NotificationsModule.collections()],
      providers: [
        { provide: AuthSettings, useValue: settings },
        { provide: MailDeliveriesRepository, useClass: MongoMailDeliveriesRepository },
        {
          provide: Mailer,
          useFactory: ({ mail }: AuthSettings, logger: Logger) =>
            new NodemailerMailer(mail.smtpUrl, mail.from, logger),
          inject: [AuthSettings, LOGGER],
        },
        SendNotificationsHandler,
        SendNotificationsConsumer,
      ],
    };
  }
}
