import { useCallback, useState } from 'react';
import { useAction, useApi } from '../../api/context';
import { useFocusOnResult } from '../../ui/focus';
import { ConfirmPanel } from '../../ui/ConfirmPanel';
import { ErrorNotice, Success } from '../../ui/Status';
import type { CouponBook } from '../../api/types';
import type { BookStatus } from './bookStatus';

/** Deactivating or reactivating a book, after a confirmation that says what it means. */
export function BookStatusControl({
  book,
  onChanged,
}: {
  book: CouponBook;
  onChanged: (book: CouponBook) => void;
}) {
  const api = useApi();
  const status = book.status;
  const target: BookStatus = status === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE';
  const verb = target === 'INACTIVE' ? 'Deactivate' : 'Reactivate';
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const [outcome, setOutcome] = useState<object>();
  const area = useFocusOnResult<HTMLDivElement>(outcome);
  const change = useAction(
    useCallback(
      (to: BookStatus) =>
        api.patch<CouponBook>(`/v1/admin/coupon-books/${encodeURIComponent(book.couponBookId)}`, {
          status: to,
        }),
      [api, book.couponBookId],
    ),
  );

  async function confirm() {
    setDone(undefined);
    const updated = await change.run(target);
    setConfirming(false);
    setOutcome({});
    if (!updated) return;
    setDone(
      target === 'INACTIVE'
        ? `“${book.name}” is now inactive: none of its codes is handed out or redeemed.`
        : `“${book.name}” is active again.`,
    );
    onChanged(updated);
  }

  return (
    <div className="book-status" ref={area}>
      {!confirming && (
        <button
          type="button"
          className={target === 'INACTIVE' ? 'danger' : 'secondary'}
          onClick={() => {
            setDone(undefined);
            change.setError(undefined);
            setConfirming(true);
          }}
        >
          {verb} book
        </button>
      )}
      {confirming && (
        <ConfirmPanel
          label={`Confirm: ${verb.toLowerCase()} the book`}
          confirmText={`${verb} “${book.name}”`}
          pendingText={target === 'INACTIVE' ? 'Deactivating…' : 'Reactivating…'}
          pending={change.pending}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        >
          {target === 'INACTIVE' ? (
            <p>
              <strong>Deactivate “{book.name}”?</strong> While it is inactive, none of its codes is handed
              out, locked or redeemed; members who try are told the book is inactive. Its codes stay in it,
              and you can reactivate it at any time.
            </p>
          ) : (
            <p>
              <strong>Reactivate “{book.name}”?</strong> Its codes can then be handed out and redeemed again.
            </p>
          )}
        </ConfirmPanel>
      )}
      <ErrorNotice error={change.error} title={`Could not ${verb.toLowerCase()} “${book.name}”.`} />
      {done && <Success>{done}</Success>}
    </div>
  );
}
