// The webhooks area's DTOs and types: export each new file here.
export * from './source-events';
export * from './webhook-events';
export * from './webhooks.dto';
export * from './webhooks.rpc';
