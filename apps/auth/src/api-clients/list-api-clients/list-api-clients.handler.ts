import { Injectable } from '@nestjs/common';
import type { ApiClientPageDto } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { toApiClientView } from '../domain/api-client';
import { ApiClientsRepository } from '../ports/api-clients.repository';

/** The active API clients, newest first, a page at a time: never a secret or its hash. */
@Injectable()
export class ListApiClientsHandler {
  constructor(private readonly clients: ApiClientsRepository) {}

  async execute(page: PageRequest): Promise<ApiClientPageDto> {
    const found = await this.clients.listActive(page);
    const now = new Date();
    return {
      items: found.items.map((client) => toApiClientView(client, now)),
      nextCursor: found.nextCursor,
      total: found.total,
    };
  }
}
