export * from './patterns';
export * from './events';
export * from './pagination.dto';
export * from './rpc-envelope';
export { ERROR_STATUS, type ErrorCode } from '@lib/errors';
export * from './identity/identity.dto';
export * from './optional';
