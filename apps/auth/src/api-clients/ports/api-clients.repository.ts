import type { CountedPage } from '@lib/contracts';
import type { PageRequest } from '@lib/paging';
import { ApiClient, ClientSecrets } from '../domain/api-client';

/** API clients, by clientId; secrets by hash only. */
export abstract class ApiClientsRepository {
  abstract insert(client: ApiClient): Promise<void>;
  abstract findById(clientId: string): Promise<ApiClient | null>;
  /** The names of the clients among `clientIds` that exist, revoked ones included (one query). */
  abstract namesByIds(clientIds: string[]): Promise<Map<string, string>>;
  /** One page of the ACTIVE clients, newest first by (createdAt, clientId); `total` counts them all. */
  abstract listActive(page: PageRequest): Promise<CountedPage<ApiClient>>;
  /** Replaces an ACTIVE client's secrets; false when it is unknown or revoked. */
  abstract replaceSecrets(clientId: string, secrets: ClientSecrets): Promise<boolean>;
  /** ACTIVE → REVOKED; false when it is unknown or already revoked. */
  abstract revoke(clientId: string, at: Date): Promise<boolean>;
  /**
   * Records a token issued to an ACTIVE client: false when it is unknown or revoked (meanwhile).
   * One conditional write: a revoke in flight either makes it wait and then fail, or conflicts
   * with it and is retried after it (so its revocation time is later than this token's `iat`).
   */
  abstract recordTokenIssued(clientId: string, at: Date): Promise<boolean>;
}
