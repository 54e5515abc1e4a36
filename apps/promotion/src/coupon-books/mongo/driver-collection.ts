import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';

/**
 * The driver's own collection behind a model, looked up on first use (once connected). Mongoose's
 * collection wrapper makes an ObjectId, copies the arguments and emits two events on every call,
 * and an assignment makes four calls; the adapters build complete documents and need none of it.
 */
export function driverCollection<T extends Document>(model: {
  db: Connection;
  collection: { collectionName: string };
}): () => Collection<T> {
  let collection: Collection<T> | undefined;
  return () => (collection ??= model.db.db!.collection<T>(model.collection.collectionName));
}
