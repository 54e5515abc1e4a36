export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one mail. Throws MailRefused when the server refuses it for good (a 5xx answer). */
export abstract class Mailer {
  abstract send(mail: OutgoingMail): Promise<{ messageId?: string }>;
}

/** The mail server said no and would say no again (e.g. 550 no such mailbox): do not retry. */
export class MailRefused extends Error {}
