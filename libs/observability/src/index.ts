export * from './request-context';
export * from './logger';
export * from './metrics';
export * from './health';
export * from './http-instrumentation';
export * from './observability.module';
