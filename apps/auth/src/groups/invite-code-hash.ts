import { createHash } from 'node:crypto';
import { normalizeInviteCode } from './domain/group';

/** Invites are stored by this hash only: a leaked database hands out no working codes. */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(normalizeInviteCode(code)).digest('hex');
}
