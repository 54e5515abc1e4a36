export * from './stats.dto';
export * from './groups.dto';
export * from './audit-actions';
export * from './users.dto';
export * from './audit.dto';
