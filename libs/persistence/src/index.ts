export * from './unit-of-work';
export * from './transaction-scope';
export * from './mongo-errors';
export * from './mongo-unit-of-work';
export * from './schema-setup';
export * from './persistence.module';
export * from './shared-transactions';
export * from './driver-collection';
