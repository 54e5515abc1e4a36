export * from './platform-config';
export * from './env-reader';
