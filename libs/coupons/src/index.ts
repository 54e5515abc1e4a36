export * from './code-pattern';
export * from './coupon-store';
export * from './mongo/coupon-schemas';
