import type { Connection } from 'mongoose';
import { MongoOutbox, outboxModel } from '@lib/messaging';
import { MongoUnitOfWork } from '@lib/persistence';
import { LedgerStore } from '../../../apps/loyalty/src/ledger/mongo/ledger-collections';
import { RecordPayerTransactionHandler } from '../../../apps/loyalty/src/ledger/record-payer-transaction/record-payer-transaction.handler';
import { RecordPurchaseHandler } from '../../../apps/loyalty/src/ledger/record-purchase/record-purchase.handler';
import { RedeemPointsHandler } from '../../../apps/loyalty/src/ledger/redeem-points/redeem-points.handler';
import { IdempotentCommands } from '../../../apps/loyalty/src/ledger/services/idempotent-commands';
import { LedgerWriter } from '../../../apps/loyalty/src/ledger/services/ledger-writer';
import { LoyaltySettings } from '../../../apps/loyalty/src/loyalty.settings';

export interface LedgerProcess {
  purchases: RecordPurchaseHandler;
  redemptions: RedeemPointsHandler;
  transactions: RecordPayerTransactionHandler;
}

/**
 * One loyalty "process" without Nest (the in-process benchmark, the ledger's integration test):
 * the real use cases wired as LedgerModule wires them, with their own per-group serializer, on a
 * store from `openLedgerStore`. Several on one database behave as several service instances.
 * Earn rate 1 and USD unless `settings` say otherwise.
 */
export function ledgerProcess(
  connection: Connection,
  store: LedgerStore,
  settings = new LoyaltySettings({ units: 1n, scale: 0 }, 'USD'),
): LedgerProcess {
  const writer = new LedgerWriter(store.ledger);
  const commands = new IdempotentCommands(store.requests, new MongoUnitOfWork(connection));
  return {
    purchases: new RecordPurchaseHandler(writer, store.ledger, commands, settings),
    redemptions: new RedeemPointsHandler(writer, store.ledger, commands),
    transactions: new RecordPayerTransactionHandler(
      writer,
      commands,
      new MongoOutbox(outboxModel(connection)),
    ),
  };
}
