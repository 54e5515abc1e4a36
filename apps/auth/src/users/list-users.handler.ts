import { Injectable } from '@nestjs/common';
import type { AdminUserQueryDto, Page } from '@lib/contracts';
import { ValidationFailed } from '@lib/errors';
import { AdminUserView, toAdminView } from './domain/user';
import { UserSearchPosition, UsersRepository } from './users.repository';

/** The admin user search, newest first, paged by a cursor on (createdAt, userId). */
@Injectable()
export class ListUsersHandler {
  constructor(private readonly users: UsersRepository) {}

  async execute(query: AdminUserQueryDto): Promise<Page<AdminUserView>> {
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const text = query.query?.trim() || undefined;
    const found = await this.users.search(text, limit + 1, after);
    const page = found.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAdminView),
      nextCursor:
        found.length > limit ? encodeCursor({ createdAt: last.createdAt, userId: last.userId }) : null,
    };
  }
}

function encodeCursor(position: UserSearchPosition): string {
  return Buffer.from(`u:${position.createdAt.getTime()}:${position.userId}`).toString('base64url');
}

function decodeCursor(cursor: string): UserSearchPosition {
  const match = /^u:(\d{1,15}):([\w-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this list gave' }]);
  return { createdAt: new Date(Number(match[1])), userId: match[2] };
}
