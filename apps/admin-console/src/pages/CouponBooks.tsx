import { useState } from 'react';
import { navigate, useLocation } from '../router';
import { BookDetail } from './coupon-books/BookDetail';
import { BookTable } from './coupon-books/BookTable';
import { CreateBookForm } from './coupon-books/CreateBookForm';

function openBook(bookId: string) {
  navigate(`/coupon-books?bookId=${encodeURIComponent(bookId)}`);
}

/** Coupon books: the list, a form for a new one, and the selected book (kept in the URL). */
export function CouponBooksPage() {
  const { search } = useLocation();
  const bookId = search.get('bookId') ?? undefined;
  const [version, setVersion] = useState(0);
  return (
    <>
      <BookTable version={version} selectedId={bookId} onOpen={openBook} />
      {bookId && <BookDetail key={bookId} bookId={bookId} />}
      <CreateBookForm
        onCreated={(book) => {
          setVersion((v) => v + 1);
          openBook(book.couponBookId);
        }}
      />
    </>
  );
}
