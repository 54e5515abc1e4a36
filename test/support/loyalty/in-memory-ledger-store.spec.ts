import { InMemoryPointsLedger } from './in-memory-points-ledger';
import { InMemoryRequestLog } from './in-memory-request-log';
import { ledgerStoreContract } from './ledger-store-contract';
import { PassThroughUnitOfWork } from './pass-through-unit-of-work';

/** The in-memory adapters hold to the contract the Mongo ones do (points-lifecycle-store.int-spec.ts). */
describe('the in-memory ledger store behaves as the MongoDB one', () => {
  ledgerStoreContract(() => ({
    ledger: new InMemoryPointsLedger(),
    requests: new InMemoryRequestLog(),
    uow: new PassThroughUnitOfWork(),
  }));
});
