import type { Logger } from '@lib/observability';
import { Clock, SystemClock } from '../../../apps/loyalty/src/ledger/ports/clock';
import { HistoryQueries } from '../../../apps/loyalty/src/ledger/queries/history.queries';
import { PointsQueries } from '../../../apps/loyalty/src/ledger/queries/points.queries';
import { PurchasesQueries } from '../../../apps/loyalty/src/ledger/queries/purchases.queries';
import { RecordPayerTransactionHandler } from '../../../apps/loyalty/src/ledger/record-payer-transaction/record-payer-transaction.handler';
import { RecordPurchaseHandler } from '../../../apps/loyalty/src/ledger/record-purchase/record-purchase.handler';
import { RedeemPointsHandler } from '../../../apps/loyalty/src/ledger/redeem-points/redeem-points.handler';
import { RefundPurchaseHandler } from '../../../apps/loyalty/src/ledger/refund-purchase/refund-purchase.handler';
import { ReverseRedemptionHandler } from '../../../apps/loyalty/src/ledger/reverse-redemption/reverse-redemption.handler';
import { IdempotentCommands } from '../../../apps/loyalty/src/ledger/services/idempotent-commands';
import { LateLots } from '../../../apps/loyalty/src/ledger/services/late-lots';
import { LedgerCorrections } from '../../../apps/loyalty/src/ledger/services/ledger-corrections';
import { LedgerWriter } from '../../../apps/loyalty/src/ledger/services/ledger-writer';
import { ProgrammeSettings } from '../../../apps/loyalty/src/ledger/services/programme-settings';
import { TierKeeper } from '../../../apps/loyalty/src/ledger/services/tier-keeper';
import { SweepDuePoints } from '../../../apps/loyalty/src/ledger/sweep-due-points/sweep-due-points';
import { UpdatePointsPolicyHandler } from '../../../apps/loyalty/src/ledger/update-programme/update-points-policy.handler';
import { UpdateTiersHandler } from '../../../apps/loyalty/src/ledger/update-programme/update-tiers.handler';
import { LoyaltySettings } from '../../../apps/loyalty/src/loyalty.settings';
import { InMemoryOutbox } from './in-memory-outbox';
import { InMemoryPointsLedger } from './in-memory-points-ledger';
import { InMemoryProgrammeSettings } from './in-memory-programme-settings';
import { InMemoryRequestLog } from './in-memory-request-log';
import type { LedgerRows } from './ledger-invariants';
import type { LedgerProcess } from './ledger-process';
import { PassThroughUnitOfWork } from './pass-through-unit-of-work';

const quietLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as Logger;

/** One in-memory loyalty "process" and the stores behind it, for tests to look into. */
export interface InMemoryLedger extends LedgerProcess {
  ledger: InMemoryPointsLedger;
  requests: InMemoryRequestLog;
  programmeStore: InMemoryProgrammeSettings;
  outbox: InMemoryOutbox;
  /** A group's account, lots, entries and requests, for the invariants. */
  rows(groupId: string): LedgerRows;
}

/**
 * The real use cases wired exactly as ledger-process.ts wires them on MongoDB, on in-memory
 * adapters instead: fast enough for thousands of property-test runs. Single-threaded use only
 * (the unit of work can't roll back: see PassThroughUnitOfWork). Earn rate 1 and USD unless
 * `settings` say otherwise; the system clock unless `clock` is given.
 */
export function inMemoryLedgerProcess(
  clock: Clock = new SystemClock(),
  settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD'),
): InMemoryLedger {
  const ledger = new InMemoryPointsLedger();
  const requests = new InMemoryRequestLog();
  const store = new InMemoryProgrammeSettings();
  const outbox = new InMemoryOutbox();
  const uow = new PassThroughUnitOfWork();
  const commands = new IdempotentCommands(requests, uow);
  const programme = new ProgrammeSettings(store);
  const writer = new LedgerWriter(ledger, outbox, new LateLots(ledger, requests, outbox));
  const tiers = new TierKeeper(ledger, programme, outbox);
  const corrections = new LedgerCorrections(ledger, writer, outbox);
  return {
    ledger,
    requests,
    programmeStore: store,
    outbox,
    rows: (groupId) => ({ ...ledger.rows(groupId), requests: requests.rowsOf(groupId) }),
    purchases: new RecordPurchaseHandler(writer, commands, settings, programme, tiers, outbox, clock),
    redemptions: new RedeemPointsHandler(writer, ledger, commands, outbox, clock),
    transactions: new RecordPayerTransactionHandler(writer, commands, outbox, programme, clock),
    refunds: new RefundPurchaseHandler(requests, commands, corrections, tiers, outbox, settings, clock),
    reversals: new ReverseRedemptionHandler(requests, commands, corrections, outbox, clock),
    policy: new UpdatePointsPolicyHandler(store, uow, outbox, programme, clock),
    tiers: new UpdateTiersHandler(store, ledger, uow, outbox, programme, clock),
    points: new PointsQueries(ledger, programme, tiers, clock),
    history: new HistoryQueries(ledger),
    purchaseList: new PurchasesQueries(requests, clock),
    sweep: new SweepDuePoints(ledger, writer, tiers, commands, clock, quietLogger),
  };
}
