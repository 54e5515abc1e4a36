import { useEffect } from 'react';
import { useApi, useResource } from '../../api/context';
import type { CouponBook, Page } from '../../api/types';
import { Pager, query, useCursorPages } from '../../ui/Pager';
import { ErrorNotice, Loading } from '../../ui/Status';
import { formatCount, formatDate } from '../campaigns/formValues';

/** The coupon books a page at a time; "Open" selects one. `version` changes after a create. */
export function BookTable({
  version,
  selectedId,
  onOpen,
}: {
  version: number;
  selectedId?: string;
  onOpen: (bookId: string) => void;
}) {
  const api = useApi();
  const pages = useCursorPages();
  const { reset } = pages;
  const list = useResource(
    () => api.get<Page<CouponBook>>(`/v1/admin/coupon-books${query({ limit: 20, cursor: pages.cursor })}`),
    `${pages.cursor ?? ''}:${version}`,
  );
  useEffect(() => reset(), [version, reset]);

  return (
    <section className="card" aria-labelledby="book-list">
      <h2 id="book-list">All coupon books</h2>
      {list.loading && !list.data && <Loading what="coupon books" />}
      <ErrorNotice error={list.error} onRetry={list.reload} title="The coupon books could not be loaded." />
      {list.data && list.data.items.length === 0 && <p className="muted">No coupon books yet.</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Active</th>
                <th className="num">Total</th>
                <th className="num">Assigned</th>
                <th className="num">Redeemed</th>
                <th>Created</th>
                <th>
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((b) => (
                <tr key={b.couponBookId} aria-current={b.couponBookId === selectedId ? 'true' : undefined}>
                  <td>{b.name}</td>
                  <td>
                    <span className={b.active ? 'badge badge-ACTIVE' : 'badge badge-DISABLED'}>
                      {b.active ? 'Active' : 'Inactive'}
                    </span>
                  </td>
                  <td className="num">{formatCount(b.stats.total)}</td>
                  <td className="num">{formatCount(b.stats.assigned)}</td>
                  <td className="num">{formatCount(b.stats.redeemed)}</td>
                  <td>{formatDate(b.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Open ${b.name}`}
                      onClick={() => onOpen(b.couponBookId)}
                    >
                      Open
                    </button>
                  </td>
                </tr>
              ))}
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
      />
    </section>
  );
}
