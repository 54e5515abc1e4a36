import type { PointsAdjustedV1 } from '@lib/contracts';

export interface Recipient {
  email: string;
  username: string;
  fullName: string | null;
}

const greeting = (r: Recipient) => `Hello ${r.fullName ?? r.username},`;

/** Plain text on purpose: it renders everywhere and carries nothing to sanitize. */
export function welcomeMail(r: Recipient): { subject: string; text: string } {
  return {
    subject: 'Welcome to the loyalty programme',
    text: [
      greeting(r),
      '',
      `An account has been opened for you with the username "${r.username}".`,
      'Every purchase now earns points for your group, and you can spend them whenever you like.',
    ].join('\n'),
  };
}

export function pointsAdjustedMail(r: Recipient, e: PointsAdjustedV1): { subject: string; text: string } {
  const amount = Math.abs(e.points);
  const verb = e.points >= 0 ? 'added to' : 'taken from';
  return {
    subject: `Your group's points: ${e.points >= 0 ? '+' : '-'}${amount}`,
    text: [
      greeting(r),
      '',
      `${amount} point${amount === 1 ? ' was' : 's were'} ${verb} your group's balance.`,
      `Reason: ${e.reason}`,
      `New balance: ${e.balance} points.`,
    ].join('\n'),
  };
}
