import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { AuthSettings } from '../auth.settings';
import { ApiClientsRpcController } from './api-clients.rpc-controller';
import { CreateApiClientHandler } from './create-api-client/create-api-client.handler';
import { IssueClientTokenHandler } from './issue-client-token/issue-client-token.handler';
import { ListApiClientsHandler } from './list-api-clients/list-api-clients.handler';
import { API_CLIENT_MODEL, MongoApiClientsRepository, apiClientSchema } from './mongo/api-clients.mongo';
import { ApiClientsRepository } from './ports/api-clients.repository';
import { RevokeApiClientHandler } from './revoke-api-client/revoke-api-client.handler';
import { RotateApiClientSecretHandler } from './rotate-api-client-secret/rotate-api-client-secret.handler';

/**
 * API clients (tills, partners, back ends): created, listed, rotated and revoked by admins, and
 * their tokens (the client-credentials grant). Uses the ports AuditModule, KeysModule and
 * RevocationsModule export. Global, exporting its repository: the audit log names clients by it.
 */
@Module({})
export class ApiClientsModule {
  /** `migrate`: the clients, with the index of the admin list; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([{ name: API_CLIENT_MODEL, schema: apiClientSchema }]);
  }

  static register(settings: AuthSettings): DynamicModule {
    return {
      module: ApiClientsModule,
      global: true,
      imports: [ApiClientsModule.collections()],
      controllers: [ApiClientsRpcController],
      providers: [
        { provide: AuthSettings, useValue: settings },
        { provide: ApiClientsRepository, useClass: MongoApiClientsRepository },
        CreateApiClientHandler,
        ListApiClientsHandler,
        RotateApiClientSecretHandler,
        RevokeApiClientHandler,
        IssueClientTokenHandler,
      ],
      exports: [ApiClientsRepository],
    };
  }
}
