// The coupons area's DTOs and types: export each new file here.
export * from './coupon-books.dto';
export * from './coupon-params.dto';
export * from './coupon-export.dto';
