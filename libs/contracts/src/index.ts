export * from './patterns';
export * from './events';
export * from './pagination.dto';
export * from './rpc-envelope';
export { ERROR_STATUS, type ErrorCode } from '@lib/errors';
export * from './identity/identity.dto';
export * from './identity/api-clients.dto';
export * from './identity/api-clients.rpc';
export * from './optional';
// One barrel per area, each owned by that area's code.
export * from './points';
export * from './vouchers';
export * from './coupons';
export * from './admin';
export * from './validation';
export * from './webhooks';
