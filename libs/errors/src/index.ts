export * from './error-codes';
export * from './domain-error';
export * from './wire-error';
export * from './problem';
export * from './store-unavailable';
