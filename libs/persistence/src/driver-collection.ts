import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';

/**
 * The driver's own collection behind a mongoose model, looked up on first use (the connection is
 * open by then). Hot paths skip mongoose's collection wrapper (buffering, hooks, argument copies
 * on every call) and build complete documents themselves; the model still declares the schema
 * and the indexes.
 */
export function driverCollection<T extends Document>(
  model: Pick<Model<any>, 'db' | 'collection'>,
): () => Collection<T> {
  let collection: Collection<T> | undefined;
  return () => (collection ??= model.db.db!.collection<T>(model.collection.collectionName));
}
