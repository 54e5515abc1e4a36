import { Injectable } from '@nestjs/common';
import type { AdminUserQueryDto, CountedPage } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { AdminUserView, toAdminView } from '../domain/user';
import { UsersRepository } from '../ports/users.repository';

/** The admin user search, newest first, a page at a time. */
@Injectable()
export class ListUsersHandler {
  constructor(private readonly users: UsersRepository) {}

  async execute(query: AdminUserQueryDto, page: PageRequest): Promise<CountedPage<AdminUserView>> {
    const found = await this.users.search(query.query?.trim() || undefined, page);
    return { items: found.items.map(toAdminView), nextCursor: found.nextCursor, total: found.total };
  }
}
