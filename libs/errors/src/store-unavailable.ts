/**
 * Whether an error says the database can't take the request right now (MongoDB electing a new
 * primary, a member gone, no server to select) rather than that anything is wrong with the
 * request or the code. Such a request is answered 503 UPSTREAM_UNAVAILABLE ("try again shortly"),
 * never 500: every write is idempotent by its business id, so the client's retry is safe whether
 * or not the interrupted commit went through. Duck-typed on the driver's error names, codes and
 * labels, so this library needs no driver.
 */
export function isStoreUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const candidate = e as DriverError;
    if (UNAVAILABLE_NAMES.has(candidate.name ?? '')) return true;
    if (typeof candidate.code === 'number' && UNAVAILABLE_CODES.has(candidate.code)) return true;
    const labels = candidate.errorLabels ?? [...(candidate.errorLabelSet ?? [])];
    if (labels.some((label) => UNAVAILABLE_LABELS.has(label))) return true;
    e = candidate.cause;
  }
  return false;
}

interface DriverError {
  name?: string;
  code?: unknown;
  errorLabels?: string[];
  errorLabelSet?: Set<string>;
  cause?: unknown;
}

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

// MongoDB's server error codes for "not now": a primary stepping down or gone, a member shutting
// down, an unreachable host.
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

// Left on an error the driver's own retries (withTransaction, retryable writes) could not absorb.
const UNAVAILABLE_LABELS = new Set([
  'RetryableWriteError',
  'TransientTransactionError',
  'UnknownTransactionCommitResult',
]);
