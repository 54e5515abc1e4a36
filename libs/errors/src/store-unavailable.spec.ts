import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { isStoreUnavailable } from './store-unavailable';
import { toWireError } from './wire-error';

describe('the database being unavailable is 503, not 500', () => {
  const electing = () => {
    const err = new MongoServerError({ message: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
    return err;
  };

  it.each([
    ['a reset connection to the killed primary', new MongoNetworkError('read ECONNRESET')],
    [
      'no primary to select',
      new MongoServerSelectionError('Server selection timed out after 30000 ms', {} as never),
    ],
    ['a write sent to a member that just stepped down', electing()],
    [
      'the same, wrapped as the cause of another error',
      new Error('transaction failed', { cause: electing() }),
    ],
  ])('%s answers UPSTREAM_UNAVAILABLE, with no errorId and nothing logged as unexpected', (_, err) => {
    expect(isStoreUnavailable(err)).toBe(true);
    const { wire, unexpected } = toWireError(err);
    expect(wire.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(wire.message).toMatch(/Try again shortly/);
    expect(wire.errorId).toBeUndefined();
    expect(unexpected).toBeUndefined();
  });

  it('a transient transaction error the driver gave up on is unavailable too', () => {
    const err = new MongoServerError({ message: 'WriteConflict', code: 112 });
    err.addErrorLabel('TransientTransactionError');
    expect(isStoreUnavailable(err)).toBe(true);
  });

  it.each([
    ['a duplicate key', new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })],
    ['a failed validation', new MongoServerError({ message: 'Document failed validation', code: 121 })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error at all', 'boom'],
  ])('%s stays INTERNAL with an errorId', (_, err) => {
    expect(isStoreUnavailable(err)).toBe(false);
    const { wire, unexpected } = toWireError(err);
    expect(wire.code).toBe('INTERNAL');
    expect(wire.errorId).toEqual(expect.any(String));
    expect(unexpected).toBe(err);
  });
});
