import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';

/**
 * The driver's own collection behind a mongoose model. The ledger's hot paths skip mongoose's
 * collection wrapper (buffering, hooks, debug checks on every call); the model still declares the
 * schema and indexes. Resolved on first use: the connection is open by then.
 */
export function driverCollection<T extends Document>(model: Model<any>): () => Collection<T> {
  let collection: Collection<T> | undefined;
  return () => (collection ??= model.db.db!.collection<T>(model.collection.collectionName));
}
