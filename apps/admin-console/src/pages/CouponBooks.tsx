import { useCallback, useState } from 'react';
import { setSearch, useLocation } from '../router';
import { useCursorPages } from '../ui/Pager';
import { BookDetail } from './coupon-books/BookDetail';
import { BookTable } from './coupon-books/BookTable';
import { CreateBookForm } from './coupon-books/CreateBookForm';
import { useLiveBook } from './coupon-books/useLiveBook';

/**
 * Coupon books, top to bottom: the form for a new one, the open book (`?book=` in the URL; the
 * older `?bookId=` is read too), then the list. A new book opens right below the form, where its
 * message says. The page holds the open book's live answer: its detail and its row in the list
 * render the same figures.
 */
export function CouponBooksPage() {
  const { search } = useLocation();
  const bookId = search.get('book') || search.get('bookId') || undefined;
  const pages = useCursorPages();
  const [createdId, setCreatedId] = useState<string>();
  const [live, setLive] = useState(false);
  const book = useLiveBook(bookId, live);
  const open = useCallback((id: string) => setSearch({ book: id, bookId: null }), []);
  return (
    <>
      <CreateBookForm
        onCreated={(book) => {
          setCreatedId(book.couponBookId);
          setSearch({ ...pages.resetUpdates, book: book.couponBookId, bookId: null });
        }}
      />
      {bookId && (
        <BookDetail
          key={bookId}
          bookId={bookId}
          book={book}
          onLiveChange={setLive}
          onClose={() => setSearch({ book: null, bookId: null })}
        />
      )}
      <BookTable
        createdId={createdId}
        selectedId={bookId}
        live={book.data?.couponBookId === bookId ? book.data : undefined}
        onOpen={open}
      />
    </>
  );
}
