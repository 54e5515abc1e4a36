export * from './redis-lock';
export * from './rate-limiter';
export * from './redis.module';
export * from './request-limiter';
