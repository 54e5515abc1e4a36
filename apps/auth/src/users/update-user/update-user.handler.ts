import { Injectable } from '@nestjs/common';
import { AUDIT_ACTIONS, auditTarget } from '@lib/contracts';
import { UniqueViolation, UnitOfWork } from '@lib/persistence';
import { AuditTrail } from '../../audit/ports/audit-trail';
import { PrincipalRevocations } from '../../revocations/ports/principal-revocations';
import { SessionsRepository } from '../../sessions/ports/sessions.repository';
import { AdminUserView, describeChanges, normalizeEmail, toAdminView, UserChanges } from '../domain/user';
import {
  accountTaken,
  cannotDemoteSelf,
  cannotDisableSelf,
  noChanges,
  userNotFound,
} from '../domain/users.errors';
import { UsersRepository } from '../ports/users.repository';

/**
 * An admin edits a user. One transaction applies the changes, revokes every refresh-token family
 * of a user being disabled (its touch of each family conflicts with any refresh in flight, so no
 * token minted concurrently survives), and adds the audit entry to the outbox. Login and refresh
 * read the user's status and roles each time, so a disable blocks both at once and new roles
 * arrive with the next token.
 *
 * A disable, or roles that really change, also revoke the user's access tokens (revocations/): in
 * the same transaction, every token issued before now is refused everywhere within seconds. A
 * change of roles touches the user's live refresh families as well, so that a refresh in flight,
 * which read the old roles, conflicts with it and is retried with the new ones.
 */
@Injectable()
export class UpdateUserHandler {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly revocations: PrincipalRevocations,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(actor: { userId: string }, userId: string, input: UserChanges): Promise<AdminUserView> {
    // Only the fields given: an absent field must not overwrite (or blank) the stored one.
    const changes: UserChanges = Object.fromEntries(
      Object.entries({
        ...input,
        ...(input.email !== undefined && { email: normalizeEmail(input.email) }),
        ...(input.roles && { roles: [...new Set(input.roles)] }),
      }).filter(([, value]) => value !== undefined),
    );
    if (!Object.keys(changes).length) throw noChanges();
    guardOwnAccount(actor.userId, userId, changes);
    try {
      return await this.uow.run(async () => {
        const now = new Date();
        const user = await this.users.findById(userId);
        if (!user) throw userNotFound();
        const diff = describeChanges(user, changes);
        await this.users.update(userId, changes);
        const disabled = changes.status === 'DISABLED';
        const revoked = disabled ? await this.sessions.revokeAllForUser(userId, 'account-disabled', now) : 0;
        if (diff.roles) await this.sessions.fenceAllForUser(userId);
        if (disabled || diff.roles) await this.revocations.revoke(userId, now);
        await this.audit.record(
          actor.userId,
          AUDIT_ACTIONS.userUpdated,
          auditTarget('user', userId),
          { changes: diff, ...(changes.status === 'DISABLED' && { refreshFamiliesRevoked: revoked }) },
          now,
        );
        return toAdminView({ ...user, ...changes });
      });
    } catch (err) {
      throw (err instanceof UniqueViolation && accountTaken(err.key)) || err;
    }
  }
}

/** An admin can neither disable their own account nor take their own admin role away. */
function guardOwnAccount(actorId: string, userId: string, changes: UserChanges): void {
  if (actorId !== userId) return;
  if (changes.status === 'DISABLED') throw cannotDisableSelf();
  if (changes.roles && !changes.roles.includes('admin')) throw cannotDemoteSelf();
}
