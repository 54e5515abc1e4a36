import { UniqueViolation } from './unit-of-work';

interface MongoLikeError {
  code?: number;
  keyValue?: Record<string, unknown>;
  errmsg?: string;
  message?: string;
  writeErrors?: Array<MongoLikeError & { err?: MongoLikeError }>;
}

export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as MongoLikeError | undefined;
  return e?.code === 11000 || e?.code === 11001;
}

/** Re-throws Mongo's duplicate-key error as the port-level UniqueViolation; anything else as is. */
export function translateMongoError(err: unknown): unknown {
  if (!isDuplicateKeyError(err)) return err;
  const e = err as MongoLikeError;
  // An insertMany's error names its first failed write (a deferred insert is flushed that way).
  const first = e.writeErrors?.[0];
  const message = e.errmsg ?? e.message ?? first?.errmsg ?? '';
  const keyValue = e.keyValue ?? first?.keyValue ?? first?.err?.keyValue ?? {};
  const collection = /collection: [^.]+\.(\S+)/.exec(message)?.[1] ?? 'unknown';
  return new UniqueViolation(collection, keyValue);
}
