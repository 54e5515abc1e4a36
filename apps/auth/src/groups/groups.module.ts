import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { AuthSettings } from '../auth.settings';
import { CreateInviteHandler } from './create-invite/create-invite.handler';
import { GroupsRpcController } from './groups.rpc-controller';
import {
  GROUP_MODEL,
  INVITE_MODEL,
  MongoGroupsRepository,
  MongoInvitesRepository,
  groupSchema,
  inviteSchema,
} from './mongo/groups.mongo';
import { GroupsRepository } from './ports/groups.repository';
import { InvitesRepository } from './ports/invites.repository';
import { GroupsQueries } from './queries/groups.queries';
import { InviteLimit } from './services/invite-limit';

/** Groups of up to 4 people and the invites that seat someone in one. */
@Module({})
export class GroupsModule {
  /** `migrate`: groups and invites, with their indexes; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([
      { name: GROUP_MODEL, schema: groupSchema },
      { name: INVITE_MODEL, schema: inviteSchema },
    ]);
  }

  /** Global: registration (users) and the group mails (notifications) use its stores. */
  static register(settings: AuthSettings): DynamicModule {
    return {
      module: GroupsModule,
      global: true,
      imports: [GroupsModule.collections()],
      controllers: [GroupsRpcController],
      providers: [
        { provide: GroupsRepository, useClass: MongoGroupsRepository },
        { provide: InvitesRepository, useClass: MongoInvitesRepository },
        { provide: AuthSettings, useValue: settings },
        GroupsQueries,
        CreateInviteHandler,
        InviteLimit,
      ],
      exports: [GroupsRepository, InvitesRepository],
    };
  }
}
