import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AUDIT_ACTIONS, auditTarget, EVENTS } from '@lib/contracts';
import { Outbox } from '@lib/messaging';
import { AuditTrail } from '../../audit/ports/audit-trail';
import { AdminUserView, toAdminView } from '../domain/user';
import { groupAndInvite } from '../domain/users.errors';
import { RegisterUserHandler, RegisterUserInput } from '../register-user/register-user.handler';

/**
 * An admin enrolls a user: registration's rules (unique username and email, at most 4 per group,
 * atomically), plus roles and a group to join, and in the same transaction `auth.user.enrolled`
 * (the welcome mail) and the audit entry, both through the outbox.
 */
@Injectable()
export class EnrollUserHandler {
  constructor(
    private readonly register: RegisterUserHandler,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: { userId: string }, input: RegisterUserInput): Promise<AdminUserView> {
    if (input.groupId && input.inviteCode) throw groupAndInvite();
    const user = await this.register.create(input, async (created) => {
      await this.outbox.add(EVENTS.userEnrolled, {
        eventId: randomUUID(),
        occurredAt: created.createdAt.toISOString(),
        userId: created.userId,
        groupId: created.groupId,
      });
      await this.audit.record(
        actor.userId,
        AUDIT_ACTIONS.userEnrolled,
        auditTarget('user', created.userId),
        {
          username: created.username,
          email: created.email,
          roles: created.roles,
          groupId: created.groupId,
          joinedExistingGroup: Boolean(input.groupId || input.inviteCode),
        },
        created.createdAt,
      );
    });
    return toAdminView(user);
  }
}
