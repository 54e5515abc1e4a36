import type { Connection } from 'mongoose';
import { MongoOutbox, outboxModel } from '@lib/messaging';
import type { Logger } from '@lib/observability';
import { MongoUnitOfWork } from '@lib/persistence';
import { LedgerStore } from '../../../apps/loyalty/src/ledger/mongo/ledger-collections';
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

export interface LedgerProcess {
  purchases: RecordPurchaseHandler;
  redemptions: RedeemPointsHandler;
  transactions: RecordPayerTransactionHandler;
  refunds: RefundPurchaseHandler;
  reversals: ReverseRedemptionHandler;
  policy: UpdatePointsPolicyHandler;
  tiers: UpdateTiersHandler;
  points: PointsQueries;
  history: HistoryQueries;
  purchaseList: PurchasesQueries;
  sweep: SweepDuePoints;
}

/** Logs nothing: the sweep's warnings are asserted through what it wrote, not what it said. */
export const quietLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as Logger;

/**
 * One loyalty "process" without Nest (the in-process benchmark, the ledger's integration and
 * property tests): the real use cases wired as LedgerModule wires them, with their own per-group
 * serializer and settings cache, on a store from `openLedgerStore`. Several on one database
 * behave as several service instances. Earn rate 1 and USD unless `settings` say otherwise; the
 * system clock unless `clock` is given (a virtual one moves time for the property tests).
 */
export function ledgerProcess(
  connection: Connection,
  store: LedgerStore,
  settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD'),
  clock: Clock = new SystemClock(),
): LedgerProcess {
  const uow = new MongoUnitOfWork(connection);
  const outbox = new MongoOutbox(outboxModel(connection));
  const commands = new IdempotentCommands(store.requests, uow);
  const programme = new ProgrammeSettings(store.programme);
  const writer = new LedgerWriter(store.ledger, outbox, new LateLots(store.ledger, store.requests, outbox));
  const tiers = new TierKeeper(store.ledger, programme, outbox);
  const corrections = new LedgerCorrections(store.ledger, writer, outbox);
  return {
    purchases: new RecordPurchaseHandler(writer, commands, settings, programme, tiers, outbox, clock),
    redemptions: new RedeemPointsHandler(writer, store.ledger, commands, outbox, clock),
    transactions: new RecordPayerTransactionHandler(writer, commands, outbox, programme, clock),
    refunds: new RefundPurchaseHandler(store.requests, commands, corrections, tiers, outbox, settings, clock),
    reversals: new ReverseRedemptionHandler(store.requests, commands, corrections, outbox, clock),
    policy: new UpdatePointsPolicyHandler(store.programme, uow, outbox, programme, clock),
    tiers: new UpdateTiersHandler(store.programme, store.ledger, uow, outbox, programme, clock),
    points: new PointsQueries(store.ledger, programme, tiers, clock),
    history: new HistoryQueries(store.ledger),
    purchaseList: new PurchasesQueries(store.requests, clock),
    sweep: new SweepDuePoints(store.ledger, writer, tiers, commands, clock, quietLogger),
  };
}
