export * from './platform-config';
export * from './env-reader';
export * from './trust-proxy';
