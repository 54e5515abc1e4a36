export * from './stats.dto';
export * from './audit-actions';
