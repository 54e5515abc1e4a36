// The vouchers area's DTOs and types: export each new file here.
export * from './campaign.dto';
export * from './voucher.dto';
export * from './voucher-params.dto';
