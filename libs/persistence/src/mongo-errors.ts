import { UniqueViolation } from './unit-of-work';

interface MongoLikeError {
  code?: number;
  keyValue?: Record<string, unknown>;
  errmsg?: string;
  message?: string;
  writeErrors?: Array<{ code?: number; err?: { code?: number } }>;
}

export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as MongoLikeError | undefined;
  return e?.code === 11000 || e?.code === 11001;
}

/** Re-throws Mongo's duplicate-key error as the port-level UniqueViolation; anything else as is. */
export function translateMongoError(err: unknown): unknown {
  if (!isDuplicateKeyError(err)) return err;
  const e = err as MongoLikeError;
  const collection = /collection: [^.]+\.(\S+)/.exec(e.errmsg ?? e.message ?? '')?.[1] ?? 'unknown';
  return new UniqueViolation(collection, e.keyValue ?? {});
}
