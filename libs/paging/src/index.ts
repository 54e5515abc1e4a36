export * from './page-request';
export * from './page-cursor';
export * from './keyset';
