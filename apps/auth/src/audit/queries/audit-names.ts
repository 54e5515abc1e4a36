import { Injectable } from '@nestjs/common';
import { ApiClientsRepository } from '../../api-clients/ports/api-clients.repository';
import { GroupsRepository } from '../../groups/ports/groups.repository';
import { UsersRepository } from '../../users/ports/users.repository';
import { AuditLogRepository } from '../ports/audit-log.repository';

/** What a page of entries names: their actors and their `<kind>:<id>` targets. */
export interface NamedRefs {
  actorId: string;
  target: string;
}

export interface EntryNames {
  actorName: string | null;
  targetName: string | null;
}

const SYSTEM_PREFIX = 'system:';

/** Targets that are one thing of the programme (their id is `programme`), named by their kind. */
const PROGRAMME_TARGETS: Record<string, string> = {
  'points-policy': 'Points policy',
  tiers: 'Tiers',
};

/** Kinds auth owns and names from its own stores; every other kind is named by the audit log. */
const OWN_KINDS = new Set(['user', 'group', 'api-client']);

function splitTarget(target: string): { kind: string; id: string } {
  const colon = target.indexOf(':');
  return colon < 0 ? { kind: target, id: '' } : { kind: target.slice(0, colon), id: target.slice(colon + 1) };
}

/**
 * Names for people, resolved when the log is read, so old entries get them too and nothing hashed
 * changes: a user's username (actors with their full name), a group's members, an API client's
 * name, and for what other services own, the name the log itself recorded for it (the details'
 * `name`, or a webhook's `url`). One query per kind for a whole page, never one per entry.
 */
@Injectable()
export class AuditNames {
  constructor(
    private readonly users: UsersRepository,
    private readonly groups: GroupsRepository,
    private readonly clients: ApiClientsRepository,
    private readonly log: AuditLogRepository,
  ) {}

  async of(entries: readonly NamedRefs[]): Promise<EntryNames[]> {
    const targets = entries.map((e) => ({ target: e.target, ...splitTarget(e.target) }));
    const idsOf = (kind: string) => [...new Set(targets.filter((t) => t.kind === kind).map((t) => t.id))];
    // Actors are users or API clients (their tokens' subject); ask both stores for every one.
    const principals = [
      ...new Set([
        ...entries.map((e) => e.actorId).filter((id) => !id.startsWith(SYSTEM_PREFIX)),
        ...idsOf('user'),
        ...idsOf('api-client'),
      ]),
    ];
    const loggedTargets = [
      ...new Set(
        targets.filter((t) => !OWN_KINDS.has(t.kind) && !PROGRAMME_TARGETS[t.kind]).map((t) => t.target),
      ),
    ];
    const [users, groups, clientNames, recorded] = await Promise.all([
      principals.length ? this.users.findByIds(principals) : [],
      this.groups.findByIds(idsOf('group')),
      this.clients.namesByIds(principals),
      this.log.recordedNames(loggedTargets),
    ]);
    const userById = new Map(users.map((u) => [u.userId, u]));
    const groupNames = new Map(groups.map((g) => [g.groupId, g.members.map((m) => m.username).join(', ')]));

    const actorName = (actorId: string): string | null => {
      if (actorId.startsWith(SYSTEM_PREFIX)) return `System (${actorId.slice(SYSTEM_PREFIX.length)})`;
      const user = userById.get(actorId);
      if (user) return user.fullName ? `${user.username} (${user.fullName})` : user.username;
      return clientNames.get(actorId) ?? null;
    };
    const targetName = ({
      target,
      kind,
      id,
    }: {
      target: string;
      kind: string;
      id: string;
    }): string | null => {
      switch (kind) {
        case 'user':
          return userById.get(id)?.username ?? null;
        case 'group':
          return groupNames.get(id) || null;
        case 'api-client':
          return clientNames.get(id) ?? null;
        default:
          return PROGRAMME_TARGETS[kind] ?? recorded.get(target) ?? null;
      }
    };
    return entries.map((entry, i) => ({
      actorName: actorName(entry.actorId),
      targetName: targetName(targets[i]),
    }));
  }
}
