import { DynamicModule, Module } from '@nestjs/common';
import { PersistenceModule } from '@lib/persistence';
import { OutboxAuditTrail } from './adapters/outbox-audit-trail';
import { AppendAuditEntryConsumer } from './append-audit-entry/append-audit-entry.consumer';
import { AppendAuditEntryHandler } from './append-audit-entry/append-audit-entry.handler';
import { AuditRpcController } from './audit.rpc-controller';
import { ListAuditLogHandler } from './list-audit-log/list-audit-log.handler';
import {
  AUDIT_HEAD_MODEL,
  AUDIT_MODEL,
  MongoAuditLogRepository,
  auditHeadSchema,
  auditSchema,
} from './mongo/audit.mongo';
import { AuditLogRepository } from './ports/audit-log.repository';
import { AuditTrail } from './ports/audit-trail';
import { AuditNames } from './queries/audit-names';
import { VerifyAuditChainHandler } from './verify-audit-chain/verify-audit-chain.handler';

/** The one hash-chained audit log every service feeds with `audit.recorded`. */
@Module({})
export class AuditModule {
  /** `migrate`: the log and its chain head, with their indexes; no secrets. */
  static collections(): DynamicModule {
    return PersistenceModule.forFeature([
      { name: AUDIT_MODEL, schema: auditSchema },
      { name: AUDIT_HEAD_MODEL, schema: auditHeadSchema },
    ]);
  }

  /** Global: auth's own admin writes (users) are audited through its AuditTrail. */
  static register(): DynamicModule {
    return {
      module: AuditModule,
      global: true,
      imports: [AuditModule.collections()],
      controllers: [AuditRpcController],
      providers: [
        { provide: AuditLogRepository, useClass: MongoAuditLogRepository },
        { provide: AuditTrail, useClass: OutboxAuditTrail },
        AppendAuditEntryHandler,
        AppendAuditEntryConsumer,
        ListAuditLogHandler,
        AuditNames,
        VerifyAuditChainHandler,
      ],
      exports: [AuditTrail],
    };
  }
}
