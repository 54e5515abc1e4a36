import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from '@lib/observability';
import { MailRefused, Mailer, OutgoingMail } from '../ports/mailer';

/**
 * nodemailer over SMTP_URL. Without SMTP_URL (local runs) the JSON transport renders each mail
 * and it goes to the log instead of a server. Timeouts are short so an attempt either finishes
 * or fails well inside the transaction that records the event as handled.
 */
export class NodemailerMailer extends Mailer {
  private readonly transport: Transporter;

  constructor(
    private readonly smtpUrl: string | undefined,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    super();
    this.transport = smtpUrl
      ? createTransport({
          url: smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        } as Parameters<typeof createTransport>[0])
      : createTransport({ jsonTransport: true });
  }

  async send(mail: OutgoingMail): Promise<{ messageId?: string }> {
    try {
      const info = (await this.transport.sendMail({ from: this.from, ...mail })) as {
        messageId?: string;
        message?: unknown;
      };
      if (!this.smtpUrl) {
        this.logger.info({ mail: JSON.parse(String(info.message)) }, 'mail (no SMTP_URL: logged, not sent)');
      }
      return { messageId: info.messageId };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) throw new MailRefused((err as Error).message);
      throw err;
    }
  }

  close(): void {
    this.transport.close();
  }
}
