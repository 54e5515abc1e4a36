import type { Connection } from 'mongoose';
import { MongoUnitOfWork, openMongoConnection } from '@lib/persistence';
import { TestIsolation } from '@lib/testing';
import { openLedgerStore, type LedgerStore } from '../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { ledgerStoreContract } from '../support/loyalty/ledger-store-contract';

/**
 * The Mongo adapters, with their collection validators, hold to the ledger store contract; the
 * in-memory adapters the property tests run on are held to the same one (in-memory-ledger-store.spec.ts).
 */
describe('the MongoDB ledger store (the contract the in-memory one copies)', () => {
  const iso = new TestIsolation('lifecycle-store');
  let connection: Connection;
  let store: LedgerStore;

  beforeAll(async () => {
    connection = await openMongoConnection({ uri: iso.infra.mongoUri, dbName: iso.dbName });
    store = await openLedgerStore(connection);
  });

  afterAll(async () => {
    await connection?.close();
    await iso.cleanup();
  });

  ledgerStoreContract(() => ({
    ledger: store.ledger,
    requests: store.requests,
    uow: new MongoUnitOfWork(connection),
  }));
});
