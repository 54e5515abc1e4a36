import type { Connection, Model, Schema } from 'mongoose';
import { type Migration, SchemaSetup } from '@lib/persistence';
import { MongoPointsLedgerRepository } from './mongo-points-ledger.repository';
import { MongoRequestLog } from './mongo-request-log.repository';
import {
  ACCOUNT_MODEL,
  accountSchema,
  ENTRY_MODEL,
  entrySchema,
  ledgerValidators,
  LOT_MODEL,
  lotSchema,
} from './points-ledger.schemas';
import { pointsLifecycle } from './lifecycle-migration';
import { PROGRAMME_MODEL, programmeSchema } from './programme-settings.schemas';
import { MongoProgrammeSettings } from './mongo-programme-settings.repository';
import { REQUEST_MODEL, requestSchema, requestScopes } from './request-log.schemas';

/**
 * The ledger's collections (schemas and indexes) and migrations: the one list that LedgerModule
 * registers and that the benchmarks and tests set up with `openLedgerStore`.
 */
export const LEDGER_MODELS: ReadonlyArray<{ name: string; schema: Schema }> = [
  { name: ACCOUNT_MODEL, schema: accountSchema },
  { name: LOT_MODEL, schema: lotSchema },
  { name: ENTRY_MODEL, schema: entrySchema },
  { name: REQUEST_MODEL, schema: requestSchema },
  { name: PROGRAMME_MODEL, schema: programmeSchema },
];
export const LEDGER_MIGRATIONS: readonly Migration[] = [ledgerValidators, requestScopes, pointsLifecycle];

/** The ledger's Mongo adapters on a connection of their own. */
export interface LedgerStore {
  ledger: MongoPointsLedgerRepository;
  requests: MongoRequestLog;
  programme: MongoProgrammeSettings;
}

/**
 * The ledger store without Nest (the in-process benchmark, the ledger's integration test): the
 * same collections, indexes and validators as the service, set up on `connection`, and the
 * adapters the service binds to its ports.
 */
export async function openLedgerStore(connection: Connection): Promise<LedgerStore> {
  const model = (name: string, schema: Schema): Model<any> =>
    connection.models[name] ?? connection.model(name, schema);
  const setup = new SchemaSetup(connection);
  for (const { name, schema } of LEDGER_MODELS) setup.registerModel(model(name, schema));
  setup.registerMigrations([...LEDGER_MIGRATIONS]);
  await setup.run();
  const models = connection.models;
  return {
    ledger: new MongoPointsLedgerRepository(models[ACCOUNT_MODEL], models[LOT_MODEL], models[ENTRY_MODEL]),
    requests: new MongoRequestLog(models[REQUEST_MODEL]),
    programme: new MongoProgrammeSettings(models[PROGRAMME_MODEL]),
  };
}
