import { useApi, useResource } from '../../api/context';
import { formatCount, formatDate } from '../../ui/format';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import type { Page } from '../../ui/Pager';
import { ShortId } from '../../ui/ShortId';
import { ErrorNotice, Loading } from '../../ui/Status';
import { STATUS_BADGE, STATUS_WORD } from './bookStatus';
import type { CouponBook } from '../../api/types';

const PAGE_SIZE = 20;

/** The row's element id. */
export function bookRowId(bookId: string): string {
  return `book-row-${bookId}`;
}

/**
 * The coupon books a page at a time (page in the URL); "Open" selects one. The selected book's
 * row shows `live`, the detail's own latest answer, so the two never disagree on screen.
 * `createdId` reloads the list after a create.
 */
export function BookTable({
  createdId,
  selectedId,
  live,
  onOpen,
}: {
  createdId?: string;
  selectedId?: string;
  live?: CouponBook;
  onOpen: (bookId: string) => void;
}) {
  const api = useApi();
  const pages = useCursorPages();
  const list = useResource(
    () =>
      api.get<Page<CouponBook>>(`/v1/admin/coupon-books${query({ limit: PAGE_SIZE, cursor: pages.cursor })}`),
    `${pages.cursor ?? ''}:${createdId ?? ''}`,
  );
  const rows = (list.data?.items ?? []).map((b) => (live && b.couponBookId === live.couponBookId ? live : b));

  return (
    <section className="card" aria-labelledby="book-list">
      <h2 id="book-list">All coupon books</h2>
      {list.loading && !list.data && <Loading what="coupon books" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The coupon books could not be loaded." />
      {list.data && rows.length === 0 && <p className="muted">No coupon books yet.</p>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Coupon books">
            <thead>
              <tr>
                <th>Actions</th>
                <th>Book</th>
                <th>Status</th>
                <th className="num">Codes</th>
                <th className="num">Assigned</th>
                <th className="num">Redeemed</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const status = b.status;
                const selected = b.couponBookId === selectedId;
                return (
                  <tr
                    key={b.couponBookId}
                    id={bookRowId(b.couponBookId)}
                    aria-current={selected ? 'true' : undefined}
                  >
                    <td className="actions-cell" data-label="Actions">
                      <button
                        type="button"
                        className="secondary"
                        aria-label={`Open ${b.name}`}
                        onClick={() => onOpen(b.couponBookId)}
                      >
                        Open
                      </button>
                    </td>
                    <td data-label="Book">
                      <strong>{b.name}</strong>
                      <div>
                        <ShortId id={b.couponBookId} what="coupon book id" />
                      </div>
                    </td>
                    <td data-label="Status">
                      <span className={STATUS_BADGE[status]}>{STATUS_WORD[status]}</span>
                    </td>
                    <td className="num" data-label="Codes">
                      {formatCount(b.stats.total)}
                    </td>
                    <td className="num" data-label="Assigned">
                      {formatCount(b.stats.assigned)}
                    </td>
                    <td className="num" data-label="Redeemed">
                      {formatCount(b.stats.redeemed)}
                    </td>
                    <td data-label="Created">{formatDate(b.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Coupon books"
        pageNumber={pages.pageNumber}
        nextCursor={list.data?.nextCursor}
        onNext={pages.next}
        onPrevious={pages.previous}
        total={list.data?.total}
        pageSize={PAGE_SIZE}
        noun={['coupon book', 'coupon books']}
      />
    </section>
  );
}
